// The caller's credentials. The JWT's signature is checked by the platform (verify_jwt in
// config.toml) and again by PostgREST on every query made with it; the function only
// forwards it. Reading the role claim here merely turns "anon key, nobody signed in" into a
// clear 401 before a database round trip, instead of a permission error from SQL.
import { ApiError } from './errors.ts';

const SIGN_IN = 'Sign in and send your access token as "Authorization: Bearer <token>".';

/** The Authorization header value ("Bearer <jwt>") of a request that carries a user session. */
export function requireUserAuthorization(req: Request): string {
  const header = req.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError('unauthorized', `Missing or malformed Authorization header. ${SIGN_IN}`);
  const role = unverifiedRole(match[1]);
  if (role === 'anon') throw new ApiError('unauthorized', `The anon key identifies no user. ${SIGN_IN}`);
  return `Bearer ${match[1]}`;
}

/** The `role` claim of a JWT, unverified; undefined for anything that is not a readable JWT. */
export function unverifiedRole(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')));
    const role = (claims as { role?: unknown } | null)?.role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}
