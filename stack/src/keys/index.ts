// Every key the stack knows and every token check it makes, for both of Supabase's key models.
// current: publishable/secret API keys; sessions ES256 with the stack's signing key (kid), verified
//   against its JWKS; legacy HS256 tokens (the anon/service_role keys) still verified against the secret.
// legacy:  the anon/service_role JWTs are the only API keys; sessions HS256 with the JWT secret (with
//   the kid hosted gives the imported legacy secret); sb_… keys are refused.
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Claims } from '../types.ts';
import { checkApiKeyPair, defaultApiKeys, isApiKeyFormat, sameKey } from './api-keys.ts';
import type { KeyModel } from './config.ts';
import { importHmacKey, legacyApiKeys, legacyJwk, legacyKid, LOCAL_JWT_SECRET, signHs256 } from './legacy.ts';
import { generateSigningJwk, signingKeyFromJwk, type SigningKey } from './signing-key.ts';

export { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY } from './legacy.ts';
export { LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY, isApiKeyFormat, isBrowser } from './api-keys.ts';
export { KEY_MODELS, isKeyModel, type KeyModel } from './config.ts';

const VERIFIED_CACHE_SIZE = 1000;
/** The role JWT the gateway substitutes for an API key lives this long (it is used at once, inside the stack). */
const ROLE_TOKEN_SECONDS = 600;

export type ApiRole = 'anon' | 'service_role';

export interface KeyOptions {
  model?: KeyModel;
  jwtSecret?: string;
  /** current model only; defaults: the CLI's well-known keys, or keys derived from a custom JWT secret. */
  publishableKey?: string;
  secretKey?: string;
  /** current model only: the ES256 private JWK (signing-key-store.ts); a new one in memory when absent. */
  signingJwk?: JWK;
}

export interface JsonWebKeySet {
  keys: JWK[];
}

export interface Keys {
  model: KeyModel;
  jwtSecret: string;
  /** The legacy API keys (HS256 JWTs). Accepted in both models, as hosted accepts them until they are retired. */
  anonKey: string;
  serviceRoleKey: string;
  /** The current model's API keys; undefined on a legacy-only stack. */
  publishableKey?: string;
  secretKey?: string;
  /** The kid of the key that signs user sessions. */
  sessionKid: string;
  /** /auth/v1/.well-known/jwks.json: public keys only (empty on a legacy-only stack: a shared secret is never published). */
  publicJwks: JsonWebKeySet;
  /** SUPABASE_JWKS of the functions: the public keys, or on a legacy-only stack the secret as a symmetric key with its kid. */
  functionJwks: JsonWebKeySet;
  /** Signs a user session (ES256, or HS256 on a legacy-only stack), with a kid; `expiresInSeconds` sets exp from now. */
  sign(claims: Claims, expiresInSeconds: number): Promise<string>;
  /** Verifies a JWT: ES256 with the stack's key (matching kid) or HS256 with the secret; throws on anything else. */
  verify(token: string): Promise<Claims>;
  /** The claims an `apikey` grants (publishable → anon, secret → service_role, a legacy JWT → its claims); undefined when it is no key of this stack. */
  apiKeyClaims(key: string): Promise<Claims | undefined>;
  /** True for this stack's secret key (the one refused from browsers). */
  isSecretKey(key: string): boolean;
  /** A short-lived JWT for a role, what the gateway puts in Authorization in place of an API key. */
  roleToken(role: ApiRole): Promise<string>;
}

export async function createKeys(options: KeyOptions = {}): Promise<Keys> {
  const model = options.model ?? 'current';
  const jwtSecret = options.jwtSecret ?? LOCAL_JWT_SECRET;
  const hmac = await importHmacKey(jwtSecret);
  const hmacKid = legacyKid(jwtSecret);
  const signing =
    model === 'current' ? await signingKeyFromJwk(options.signingJwk ?? (await generateSigningJwk())) : undefined;
  const apiKeys =
    model === 'current' ? checkApiKeyPair({ ...defaultApiKeys(jwtSecret), ...definedOnly(options) }) : undefined;
  const legacy = await legacyApiKeys(jwtSecret, hmac);

  const sign = (claims: Claims, expiresInSeconds: number) =>
    signing ? signEs256(signing, claims, expiresInSeconds) : signHs256(hmac, claims, expiresInSeconds, hmacKid);
  const verify = cachedVerifier(async (token) => {
    const { alg, kid } = decodeProtectedHeader(token);
    if (alg === 'ES256' && signing && kid === signing.kid)
      return (await jwtVerify(token, signing.publicKey, { algorithms: ['ES256'] })).payload;
    // The legacy anon/service_role keys carry no kid; a session signed with the secret carries its kid.
    if (alg === 'HS256' && (kid === undefined || kid === hmacKid))
      return (await jwtVerify(token, hmac, { algorithms: ['HS256'] })).payload;
    throw new joseErrors.JWKSNoMatchingKey();
  });

  return {
    model,
    jwtSecret,
    ...legacy,
    publishableKey: apiKeys?.publishableKey,
    secretKey: apiKeys?.secretKey,
    sessionKid: signing?.kid ?? hmacKid,
    publicJwks: { keys: signing ? [signing.publicJwk] : [] },
    functionJwks: { keys: signing ? [signing.publicJwk] : [legacyJwk(jwtSecret)] },
    sign,
    verify,
    async apiKeyClaims(key) {
      if (isApiKeyFormat(key)) {
        if (apiKeys && sameKey(key, apiKeys.publishableKey)) return { role: 'anon' };
        if (apiKeys && sameKey(key, apiKeys.secretKey)) return { role: 'service_role' };
        return undefined;
      }
      return verify(key).catch(() => undefined);
    },
    isSecretKey: (key) => apiKeys !== undefined && sameKey(key, apiKeys.secretKey),
    roleToken: roleTokens(sign),
  };
}

function definedOnly(options: KeyOptions): Partial<{ publishableKey: string; secretKey: string }> {
  const keys: Partial<{ publishableKey: string; secretKey: string }> = {};
  if (options.publishableKey) keys.publishableKey = options.publishableKey;
  if (options.secretKey) keys.secretKey = options.secretKey;
  return keys;
}

function signEs256(key: SigningKey, claims: Claims, expiresInSeconds: number): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(key.privateKey);
}

/**
 * Every request carries the same few tokens (an API role token, a user's session), often twice:
 * remember what verified, and still refuse it the moment it expires. Callers get copies.
 */
function cachedVerifier(verifyToken: (token: string) => Promise<JWTPayload>): (token: string) => Promise<Claims> {
  const verified = new Map<string, Claims>();
  return async (token) => {
    const known = verified.get(token);
    if (known && (known.exp === undefined || known.exp * 1000 > Date.now())) return { ...known };
    const payload = await verifyToken(token);
    if (typeof payload.role !== 'string') throw new Error('token has no role claim');
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, payload as Claims);
    return { ...(payload as Claims) };
  };
}

/** One role token per role, signed again when half its life is gone. */
function roleTokens(
  sign: (claims: Claims, expiresInSeconds: number) => Promise<string>,
): (role: ApiRole) => Promise<string> {
  const cache = new Map<ApiRole, { token: Promise<string>; renewAt: number }>();
  return (role) => {
    const cached = cache.get(role);
    if (cached && cached.renewAt > Date.now()) return cached.token;
    const token = sign({ role, iss: 'supabase-stack' }, ROLE_TOKEN_SECONDS);
    cache.set(role, { token, renewAt: Date.now() + (ROLE_TOKEN_SECONDS * 1000) / 2 });
    token.catch(() => cache.delete(role));
    return token;
  };
}
