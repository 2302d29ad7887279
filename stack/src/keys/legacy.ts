// The legacy key model: one shared JWT secret (HS256) signs the anon and service_role API keys and,
// on a project still on legacy keys, every user session. Hosted Supabase retires it at the end of 2026;
// until then it is accepted everywhere, as hosted accepts it.
import { createHash } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { Claims } from '../types.ts';

/**
 * The Supabase CLI's well-known local JWT secret and the keys it signs, so that keys handed out by
 * this stack also work against `supabase start`. They protect nothing on a public network: set
 * JWT_SECRET (and the stack derives fresh keys) for anything but local development.
 */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const LOCAL_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 3600;

/** The HMAC key, imported once: jose would otherwise re-import raw bytes on every sign and verify. */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/**
 * The `kid` of the legacy secret as a signing key. Hosted Supabase gives the imported legacy secret a
 * key id, and @supabase/server verifies an HS256 session only through a JWKS entry with that id. Derived
 * from the secret (a one-way hash) so that it is the same after every restart.
 */
export function legacyKid(secret: string): string {
  const hex = createHash('sha256').update(`legacy-jwt-secret-kid\0${secret}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The legacy secret as the Edge Runtime puts it in SUPABASE_JWKS: a symmetric key with a kid. Never published. */
export function legacyJwk(secret: string): JWK {
  return { kty: 'oct', k: Buffer.from(secret).toString('base64url'), alg: 'HS256', kid: legacyKid(secret) };
}

export function signHs256(key: CryptoKey, claims: Claims, expiresInSeconds: number, kid?: string): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(key);
}

/** The legacy anon and service_role API keys: the well-known ones for the local secret, fresh ones otherwise. */
export async function legacyApiKeys(
  secret: string,
  key: CryptoKey,
): Promise<{ anonKey: string; serviceRoleKey: string }> {
  if (secret === LOCAL_JWT_SECRET) return { anonKey: LOCAL_ANON_KEY, serviceRoleKey: LOCAL_SERVICE_ROLE_KEY };
  return {
    anonKey: await signHs256(key, { role: 'anon', iss: 'supabase-stack' }, TEN_YEARS_SECONDS),
    serviceRoleKey: await signHs256(key, { role: 'service_role', iss: 'supabase-stack' }, TEN_YEARS_SECONDS),
  };
}
