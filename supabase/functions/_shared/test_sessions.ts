// Session tokens for function tests: real ES256 JWTs with a kid, verified by @supabase/server against
// the JWKS in SESSION_ENV, as on a project with JWT signing keys (legacyToken: HS256 with the legacy
// secret's kid, as on a project still on legacy keys).
import { SignJWT, exportJWK, generateKeyPair } from 'npm:jose@6';

const signingKey = await generateKeyPair('ES256', { extractable: true });
export const KID = 'test-signing-key';
export const PUBLIC_JWK = { ...(await exportJWK(signingKey.publicKey)), kid: KID, alg: 'ES256', use: 'sig' };

/** A project on the legacy keys: the runtime's JWKS holds the JWT secret as a symmetric key with a kid. */
export const LEGACY_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const LEGACY_KID = 'legacy-secret-kid';
export const LEGACY_JWK = {
  kty: 'oct',
  k: btoa(LEGACY_SECRET).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'),
  alg: 'HS256',
  kid: LEGACY_KID,
};

/** The runtime's variables of a project whose only key variable is the legacy anon key (plus its JWKS). */
export const SESSION_ENV: Record<string, string> = {
  SUPABASE_URL: 'http://supabase.test',
  SUPABASE_ANON_KEY: 'anon-key-for-tests',
  SUPABASE_JWKS: JSON.stringify({ keys: [PUBLIC_JWK] }),
};

const later = () => Math.floor(Date.now() / 1000) + 3600;

export function token(
  claims: Record<string, unknown>,
  key: CryptoKey = signingKey.privateKey,
  kid = KID,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).setExpirationTime(later()).sign(key);
}

export function legacyToken(claims: Record<string, unknown>, kid: string | undefined = LEGACY_KID): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })
    .setExpirationTime(later())
    .sign(new TextEncoder().encode(LEGACY_SECRET));
}
