import type { IncomingMessage } from 'node:http';
import { isApiKeyFormat, isBrowser, type ApiRole, type Keys } from '../keys/index.ts';
import type { Claims } from '../types.ts';

export type ApiKeyRefusal =
  | 'No API key found in request'
  | 'Invalid API key'
  | 'Forbidden use of secret API key in browser';

/** `claims`: what the apikey grants; undefined when none was needed and none (valid) was sent. */
export type ApiKeyCheck = { ok: true; key?: string; claims?: Claims } | { ok: false; message: ApiKeyRefusal };

/** The `apikey` header, or for WebSockets (which cannot set headers in a browser) the `apikey` query parameter. */
export function presentedApiKey(req: IncomingMessage): string | undefined {
  const fromHeader = req.headers.apikey;
  const key =
    (Array.isArray(fromHeader) ? fromHeader[0] : fromHeader) ??
    new URL(req.url ?? '/', 'http://stack').searchParams.get('apikey');
  return key || undefined;
}

/**
 * Hosted Supabase's API gateway wants an `apikey` that is one of the project's keys before a request
 * reaches a service, and refuses the secret key from a browser (it would be public there).
 * Where no apikey is required (Edge Functions check their own Authorization) only that last rule applies.
 */
export async function checkApiKey(req: IncomingMessage, keys: Keys, required: boolean): Promise<ApiKeyCheck> {
  const key = presentedApiKey(req);
  if (!key) return required ? { ok: false, message: 'No API key found in request' } : { ok: true };
  if (keys.isSecretKey(key) && isBrowser(req.headers['user-agent']))
    return { ok: false, message: 'Forbidden use of secret API key in browser' };
  const claims = await keys.apiKeyClaims(key);
  if (!claims) return required ? { ok: false, message: 'Invalid API key' } : { ok: true };
  return { ok: true, key, claims };
}

/**
 * What the gateway does for PostgREST, Auth and Realtime: a missing Authorization, or an API key in it
 * (`Bearer sb_…`), is replaced by a JWT for the apikey's role; any other Authorization (a user's session)
 * passes through untouched, for the service to verify.
 */
export async function substituteAuthorization(
  req: IncomingMessage,
  keys: Keys,
  key: string,
  claims: Claims,
): Promise<void> {
  const authorization = req.headers.authorization;
  if (authorization && !/^Bearer\s+sb_/i.test(authorization)) return;
  req.headers.authorization = `Bearer ${isApiKeyFormat(key) ? await keys.roleToken(claims.role as ApiRole) : key}`;
}

/** Paths that need no apikey: Edge Functions check their own Authorization; the JWKS is public (verifiers fetch it bare). */
export function needsApiKey(path: string): boolean {
  if (path === '/auth/v1/.well-known/jwks.json') return false;
  return !path.startsWith('/functions/v1/') && path !== '/functions/v1';
}

/** Paths whose Authorization the gateway fills in from the apikey (not Edge Functions: hosted leaves theirs as sent). */
export function substitutesAuthorization(path: string): boolean {
  return needsApiKey(path);
}
