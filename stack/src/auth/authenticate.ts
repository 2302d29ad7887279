import type { IncomingMessage } from 'node:http';
import { errors as joseErrors } from 'jose';
import type { Keys } from '../keys/index.ts';
import type { Claims } from '../types.ts';
import { errors } from './errors.ts';
import type { SessionStore } from './sessions.ts';
import { isUuid, type UserRow, type UserStore } from './users.ts';

/** Roles GoTrue accepts for /admin endpoints. */
const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);

/** Verifies the Bearer token of a request; errors as GoTrue words them. */
export async function bearerClaims(req: IncomingMessage, keys: Keys): Promise<Claims> {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw errors.noAuthorization();
  try {
    return await keys.verify(match[1]);
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw errors.badJwt('token has invalid claims: token is expired');
    throw errors.badJwt('signature is invalid');
  }
}

export async function requireAdmin(req: IncomingMessage, keys: Keys): Promise<Claims> {
  const claims = await bearerClaims(req, keys);
  if (!ADMIN_ROLES.has(claims.role)) throw errors.notAdmin();
  return claims;
}

export interface SignedInUser {
  claims: Claims;
  user: UserRow;
  sessionId: string | undefined;
}

/**
 * A user's own access token: the user must still exist and, like GoTrue, the session named in
 * the token must not have been signed out (access tokens outlive logout only at PostgREST).
 */
export async function requireUser(
  req: IncomingMessage,
  keys: Keys,
  users: UserStore,
  sessions: SessionStore,
): Promise<SignedInUser> {
  const claims = await bearerClaims(req, keys);
  if (typeof claims.sub !== 'string' || !isUuid(claims.sub)) throw errors.badJwt('invalid claim: missing sub claim');
  const user = await users.byId(claims.sub);
  if (!user) throw errors.userNotFound();
  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : undefined;
  if (sessionId !== undefined && !(isUuid(sessionId) && (await sessions.exists(sessionId)))) {
    throw errors.sessionNotFound();
  }
  return { claims, user, sessionId };
}
