// Test doubles for the `agents` handler: a fake PostgREST behind the real supabase-js client (injected
// as its fetch), and real session tokens (_shared/test_sessions.ts).
import type { HandlerDeps } from './handler.ts';
import { SESSION_ENV, token } from '../_shared/test_sessions.ts';

export {
  KID,
  LEGACY_JWK,
  LEGACY_KID,
  LEGACY_SECRET,
  PUBLIC_JWK,
  legacyToken,
  token,
} from '../_shared/test_sessions.ts';
export const ENV = SESSION_ENV;

export const OPERATOR_CLAIMS = {
  role: 'authenticated',
  sub: 'u1',
  email: 'op@example.com',
  app_metadata: { role: 'operator' },
};
export const OPERATOR_TOKEN = await token(OPERATOR_CLAIMS);
export const ANON_TOKEN = await token({ role: 'anon' });

export interface BackendCall {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fake PostgREST: records every call and answers with `respond`. */
export function fakeBackend(
  respond: (call: BackendCall) => Response | Promise<Response>,
  env: Record<string, string> = ENV,
) {
  const calls: BackendCall[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const call = {
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    };
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

export function post(
  path: string,
  body?: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Request {
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
