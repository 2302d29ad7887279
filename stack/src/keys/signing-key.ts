// The asymmetric JWT signing key of the current model (JWT Signing Keys): an ES256 key pair with a
// `kid`. The private half signs user sessions; the public half is published in the JWKS, so anyone
// can verify a session and nobody but the stack can make one.
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** What /auth/v1/.well-known/jwks.json publishes: no private material. */
  publicJwk: JWK;
}

/** A new key pair as a private JWK (the form GoTrue's GOTRUE_JWT_KEYS takes, and the form it is stored in). */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y, d } = await exportJWK(privateKey);
  return { kty, crv, x, y, d, kid: randomUUID(), alg: 'ES256', use: 'sig', key_ops: ['sign', 'verify'] };
}

export async function signingKeyFromJwk(jwk: JWK): Promise<SigningKey> {
  const { kty, crv, x, y, d, kid } = jwk;
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y || !d || !kid) {
    throw new Error('the stored JWT signing key is not an ES256 (EC P-256) private JWK with a kid');
  }
  const publicJwk: JWK = { kty, crv, x, y, kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] };
  const privateKey = (await importJWK({ kty, crv, x, y, d }, 'ES256')) as CryptoKey;
  const publicKey = (await importJWK({ kty, crv, x, y }, 'ES256')) as CryptoKey;
  return { kid, privateKey, publicKey, publicJwk };
}
