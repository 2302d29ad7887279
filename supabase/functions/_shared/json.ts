import { CORS_HEADERS } from './cors.ts';

/** A JSON response with CORS headers, so that browsers can read successes and errors alike. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...CORS_HEADERS, 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}
