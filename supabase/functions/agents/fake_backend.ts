// Test doubles for the `agents` handler: a fake PostgREST behind the real supabase-js
// client (injected as its fetch), and unsigned JWT-shaped tokens (the handler never
// verifies signatures; the platform and PostgREST do).
import type { HandlerDeps } from './handler.ts';

export const ENV: Record<string, string> = {
  SUPABASE_URL: 'http://supabase.test',
  SUPABASE_ANON_KEY: 'anon-key-for-tests',
};

export function token(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

export const OPERATOR_TOKEN = token({ role: 'authenticated', sub: 'u1', email: 'op@example.com', app_metadata: { role: 'operator' } });
export const ANON_TOKEN = token({ role: 'anon' });

export interface BackendCall {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fake PostgREST: records every call and answers with `respond`. */
export function fakeBackend(respond: (call: BackendCall) => Response | Promise<Response>) {
  const calls: BackendCall[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = await request.text();
    const call = { url: request.url, method: request.method, headers: request.headers, body: text ? JSON.parse(text) : undefined };
    calls.push(call);
    return respond(call);
  };
  const logs: string[] = [];
  const deps: Partial<HandlerDeps> = { env: (name) => ENV[name], fetch, log: (line) => logs.push(line) };
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
