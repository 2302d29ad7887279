import { SignJWT, jwtVerify } from 'jose';
import type { Claims } from './types.ts';

/**
 * The Supabase CLI's well-known local JWT secret and keys, so that keys handed out by this stack
 * also work against `supabase start`. They protect nothing on a public network:
 * set JWT_SECRET (and the stack derives fresh keys) for anything but local development.
 */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const LOCAL_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

const VERIFIED_CACHE_SIZE = 1000;

export interface Keys {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Signs HS256 claims; `expiresInSeconds` sets exp from now. */
  sign(claims: Claims, expiresInSeconds: number): Promise<string>;
  /** Verifies an HS256 token (signature, exp); throws on anything else, including alg "none". */
  verify(token: string): Promise<Claims>;
}

export async function createKeys(jwtSecret: string = LOCAL_JWT_SECRET): Promise<Keys> {
  // Imported once: handing jose the raw bytes would re-import the key on every sign and verify,
  // and every API request verifies one or two tokens.
  const secret = await crypto.subtle.importKey('raw', new TextEncoder().encode(jwtSecret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  const sign = (claims: Claims, expiresInSeconds: number) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
      .sign(secret);
  // Every request carries the same few tokens (the anon key, a user's session), often twice (apikey
  // and Authorization): remember what verified, and still refuse it the moment it expires.
  const verified = new Map<string, Claims>();
  const verify = async (token: string) => {
    const known = verified.get(token);
    if (known && (known.exp === undefined || known.exp * 1000 > Date.now())) return { ...known };
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
    if (typeof payload.role !== 'string') throw new Error('token has no role claim');
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, payload as Claims);
    return { ...(payload as Claims) };
  };
  const local = jwtSecret === LOCAL_JWT_SECRET;
  const tenYears = 10 * 365 * 24 * 3600;
  return {
    jwtSecret,
    anonKey: local ? LOCAL_ANON_KEY : await sign({ role: 'anon', iss: 'supabase-stack' }, tenYears),
    serviceRoleKey: local ? LOCAL_SERVICE_ROLE_KEY : await sign({ role: 'service_role', iss: 'supabase-stack' }, tenYears),
    sign,
    verify,
  };
}
