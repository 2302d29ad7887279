import type { IncomingMessage } from 'node:http';
import type { Keys } from '../keys.ts';

export type ApiKeyCheck = { ok: true } | { ok: false; message: 'No API key found in request' | 'Invalid API key' };

/**
 * Hosted Supabase's API gateway wants an `apikey` (header, or query parameter for WebSockets)
 * that is one of the project's keys before any request reaches a service.
 */
export async function checkApiKey(req: IncomingMessage, keys: Keys): Promise<ApiKeyCheck> {
  const fromHeader = req.headers.apikey;
  const key = (Array.isArray(fromHeader) ? fromHeader[0] : fromHeader) ?? new URL(req.url ?? '/', 'http://stack').searchParams.get('apikey');
  if (!key) return { ok: false, message: 'No API key found in request' };
  try {
    await keys.verify(key);
    return { ok: true };
  } catch {
    return { ok: false, message: 'Invalid API key' };
  }
}

/** Paths the gateway lets through without an apikey: Edge Functions check their own Authorization. */
export function needsApiKey(path: string): boolean {
  return !path.startsWith('/functions/v1/') && path !== '/functions/v1';
}
