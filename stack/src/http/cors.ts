import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request headers supabase-js and the browser send; hosted Supabase allows the same. */
export const ALLOWED_HEADERS = [
  'authorization',
  'apikey',
  'content-type',
  'x-client-info',
  'prefer',
  'range',
  'accept-profile',
  'content-profile',
  'x-supabase-api-version',
  'x-retry-count',
  'accept',
  'x-upsert',
].join(', ');

export function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Location, X-Supabase-Api-Version');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    // Echo what the browser asks for when it is more than the list (custom headers from supabase-js options).
    res.setHeader(
      'Access-Control-Allow-Headers',
      String(req.headers['access-control-request-headers'] ?? ALLOWED_HEADERS),
    );
    res.setHeader('Access-Control-Max-Age', '3600');
  }
}
