// JWTs an attacker can make without the project's secret or signing key, or by bending a real one.
// Every one of them must be refused by every service (REST, Auth, Realtime, Functions).
import { SignJWT, decodeJwt, decodeProtectedHeader, exportSPKI, generateKeyPair, importJWK, type JWK } from 'jose';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface ForgedToken {
  name: string;
  token: string;
}

/**
 * @param secret the project's real JWT secret (only used where the attack is not about the secret:
 *   an expired token, an algorithm switch, an unknown kid)
 * @param realUserToken a genuine viewer access token to tamper with (its kid is the one to imitate)
 * @param publicJwks the project's published JWKS (empty on a project still on legacy keys)
 */
export async function forgeTokens(
  secret: string,
  realUserToken: string,
  publicJwks: { keys: JWK[] } = { keys: [] },
): Promise<ForgedToken[]> {
  const operatorClaims = {
    sub: '00000000-0000-4000-8000-000000000001',
    role: 'authenticated',
    aud: 'authenticated',
    email: 'mallory@example.com',
    app_metadata: { role: 'operator' },
  };
  const later = nowSeconds() + 3600;
  const [header, payload, signature] = realUserToken.split('.');
  const realClaims = decodeJwt(realUserToken);
  const wrongSecret = new TextEncoder().encode('not-the-project-secret-but-at-least-32-chars!!');
  const rightSecret = new TextEncoder().encode(secret);

  return [
    // Unsigned tokens: the classic "alg: none" bypass, with and without a trailing dot.
    {
      name: 'alg none, service_role',
      token: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ role: 'service_role', exp: later })}.`,
    },
    {
      name: 'alg none, operator',
      token: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...operatorClaims, exp: later })}`,
    },
    {
      name: 'alg NONE (case), service_role',
      token: `${b64url({ alg: 'NONE' })}.${b64url({ role: 'service_role', exp: later })}.`,
    },
    // Signed, but not with the project's secret.
    {
      name: 'wrong secret, service_role',
      token: await new SignJWT({ role: 'service_role' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(later)
        .sign(wrongSecret),
    },
    {
      name: 'wrong secret, operator',
      token: await new SignJWT(operatorClaims)
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(later)
        .sign(wrongSecret),
    },
    // A real viewer token with its claims edited and the original signature kept.
    {
      name: 'tampered: viewer → operator',
      token: `${header}.${b64url({ ...realClaims, app_metadata: { ...(realClaims.app_metadata as object), role: 'operator' } })}.${signature}`,
    },
    {
      name: 'tampered: role → service_role',
      token: `${header}.${b64url({ ...realClaims, role: 'service_role' })}.${signature}`,
    },
    {
      name: 'tampered: exp extended',
      token: `${header}.${b64url({ ...realClaims, exp: later + 86400 * 365 })}.${signature}`,
    },
    // The right secret, but refused anyway.
    {
      name: 'expired operator (right secret)',
      token: await new SignJWT(operatorClaims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(nowSeconds() - 7200)
        .setExpirationTime(nowSeconds() - 3600)
        .sign(rightSecret),
    },
    {
      name: 'HS512 operator (algorithm switch)',
      token: await new SignJWT(operatorClaims)
        .setProtectedHeader({ alg: 'HS512' })
        .setExpirationTime(later)
        .sign(rightSecret),
    },
    { name: 'real header+payload, no signature', token: `${header}.${payload}.` },
    { name: 'garbage', token: 'not.a.jwt' },
    { name: 'SQL as a token', token: "x' or '1'='1" },
    ...(await signingKeyForgeries(operatorClaims, later, rightSecret, realUserToken, publicJwks)),
  ];
}

/** Tokens of the new kind (JWT signing keys): a kid, an asymmetric algorithm, a published public key. */
async function signingKeyForgeries(
  claims: Record<string, unknown>,
  exp: number,
  rightSecret: Uint8Array,
  realUserToken: string,
  publicJwks: { keys: JWK[] },
): Promise<ForgedToken[]> {
  const { kid } = decodeProtectedHeader(realUserToken);
  const { privateKey: otherKey } = await generateKeyPair('ES256');
  const es256 = (withKid: string | undefined) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(withKid ? { kid: withKid } : {}) })
      .setExpirationTime(exp)
      .sign(otherKey);
  const forged: ForgedToken[] = [
    { name: 'ES256 signed by another key with the right kid', token: await es256(kid) },
    { name: 'ES256 signed by another key, unknown kid', token: await es256('00000000-0000-4000-8000-00000000dead') },
    { name: 'ES256 signed by another key, no kid', token: await es256(undefined) },
    {
      name: 'alg none with the right kid',
      token: `${b64url({ alg: 'none', typ: 'JWT', kid })}.${b64url({ ...claims, exp })}.`,
    },
    {
      name: 'HS256 with the right secret but an unknown kid',
      token: await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'unknown-kid' })
        .setExpirationTime(exp)
        .sign(rightSecret),
    },
  ];
  // The classic key-confusion attack: the published public key used as an HMAC secret, with its kid.
  for (const jwk of publicJwks.keys) {
    const pem = await exportSPKI((await importJWK(jwk, jwk.alg ?? 'ES256', { extractable: true })) as CryptoKey);
    const hs256 = (secret: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: jwk.kid })
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    forged.push({ name: 'alg switched to HS256, keyed with the public key (PEM)', token: await hs256(pem) });
    forged.push({ name: 'alg switched to HS256, keyed with the public JWK', token: await hs256(JSON.stringify(jwk)) });
  }
  return forged;
}
