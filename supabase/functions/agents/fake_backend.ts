// Test doubles for the `agents` handler: a fake PostgREST behind the real supabase-js client (injected
// as its fetch), and real session tokens: ES256 with a kid, verified by @supabase/server against the
// JWKS in ENV, as on a project with JWT signing keys (legacyToken: HS256 with the legacy secret's kid).
import { SignJWT, exportJWK, generateKeyPair } from 'npm:jose@6';
import type { HandlerDeps } from './handler.ts';

const signingKey = await generateKeyPair('ES256', { extractable: true });
export const KID = 'test-signing-key';
export const PUBLIC_JWK = { ...(await exportJWK(signingKey.publicKey)), kid: KID, alg: 'ES256', use: 'sig' };

/** A project on the legacy keys: the runtime's JWKS holds the JWT secret as a symmetric key with a kid. */
export const LEGACY_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const LEGACY_KID = 'legacy-secret-kid';
export const LEGACY_JWK = { kty: 'oct', k: btoa(LEGACY_SECRET).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'), alg: 'HS256', kid: LEGACY_KID };

/** The runtime's variables of a project whose only key variable is the legacy anon key (plus its JWKS). */
export const ENV: Record<string, string> = {
  SUPABASE_URL: 'http://supabase.test',
  SUPABASE_ANON_KEY: 'anon-key-for-tests',
  SUPABASE_JWKS: JSON.stringify({ keys: [PUBLIC_JWK] }),
};

const later = () => Math.floor(Date.now() / 1000) + 3600;

export function token(claims: Record<string, unknown>, key: CryptoKey = signingKey.privateKey, kid = KID): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).setExpirationTime(later()).sign(key);
}

export function legacyToken(claims: Record<string, unknown>, kid: string | undefined = LEGACY_KID): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) }).setExpirationTime(later())
    .sign(new TextEncoder().encode(LEGACY_SECRET));
}

export const OPERATOR_CLAIMS = { role: 'authenticated', sub: 'u1', email: 'op@example.com', app_metadata: { role: 'operator' } };
export const OPERATOR_TOKEN = await token(OPERATOR_CLAIMS);
export const ANON_TOKEN = await token({ role: 'anon' });

export interface BackendCall {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fake PostgREST: records every call and answers with `respond`. */
export function fakeBackend(respond: (call: BackendCall) => Response | Promise<Response>, env: Record<string, string> = ENV) {
  const calls: BackendCall[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const call = { url: request.url, method: request.method, headers: request.headers, body: text ? JSON.parse(text) : undefined };
    calls.push(call);
    return respond(call);
  };
  const logs: string[] = [];
  const deps: Partial<HandlerDeps> = { env: (name) => env[name], fetch, log: (line) => logs.push(line) };
  return { calls, deps, logs };
}

export function postgrestJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function postgrestError(status: number, code: string, message: string): Response {
  return postgrestJson({ code, message, details: 'SELECT secret FROM somewhere', hint: null }, status);
}

export function post(path: string, body?: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json', ...headers },
    body,
  });
}

export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = await response.json();
  return body.error;
}
