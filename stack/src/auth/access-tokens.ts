import type { Claims } from '../types.ts';
import type { Keys } from '../keys/index.ts';
import type { UserObject } from './users.ts';

/**
 * The claims GoTrue puts in an access token. `role` is the Postgres role PostgREST switches to
 * (always "authenticated" here); an application's own roles live in
 * app_metadata, which only the service role can change.
 */
export function accessTokenClaims(
  user: UserObject,
  sessionId: string,
  issuer: string,
  signedInAtSeconds: number,
): Claims {
  return {
    iss: issuer,
    sub: user.id,
    aud: user.aud,
    role: user.role,
    email: user.email,
    phone: user.phone,
    app_metadata: user.app_metadata,
    user_metadata: user.user_metadata,
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: signedInAtSeconds }],
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };
}

/** The body of a successful /token answer, as auth-js's _sessionResponse reads it. */
export interface SessionResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: UserObject;
}

export async function issueSession(
  keys: Keys,
  user: UserObject,
  session: { sessionId: string; refreshToken: string },
  issuer: string,
  expiresInSeconds: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<SessionResponse> {
  const claims = accessTokenClaims(user, session.sessionId, issuer, nowSeconds);
  return {
    access_token: await keys.sign(claims, expiresInSeconds),
    token_type: 'bearer',
    expires_in: expiresInSeconds,
    expires_at: nowSeconds + expiresInSeconds,
    refresh_token: session.refreshToken,
    user,
  };
}
