import type { IncomingMessage } from 'node:http';
import { issueSession, type SessionResponse } from './access-tokens.ts';
import type { AuthServer } from './auth-server.ts';
import { errors } from './errors.ts';
import { clientAddress } from './http.ts';
import { SignInLimiter } from './sign-in-limiter.ts';
import { isBanned, toUserObject } from './users.ts';

/** POST /token?grant_type=password|refresh_token */
export async function tokenGrant(
  server: AuthServer,
  req: IncomingMessage,
  grantType: string | null,
  body: Record<string, unknown>,
): Promise<SessionResponse> {
  if (grantType === 'password') return passwordGrant(server, req, body);
  if (grantType === 'refresh_token') return refreshGrant(server, body);
  throw errors.unsupportedGrant();
}

async function passwordGrant(
  server: AuthServer,
  req: IncomingMessage,
  body: Record<string, unknown>,
): Promise<SessionResponse> {
  const { email, password } = body;
  if (typeof email !== 'string' || email.trim() === '') throw errors.validation('missing email or phone');
  if (typeof password !== 'string') throw errors.validation('missing password');

  // Per client address first, whatever the email (config.toml [auth.rate_limit] sign_in_sign_ups).
  const perAddress = server.addressLimiter.take(clientAddress(req));
  if (!perAddress.allowed) throw errors.tooManyRequests(perAddress.retryAfterSeconds);
  const limiterKey = SignInLimiter.key(email, clientAddress(req));
  const verdict = server.signInLimiter.check(limiterKey);
  if (!verdict.allowed) throw errors.tooManyRequests();
  // Counted as a failure until it succeeds, so parallel guesses cannot slip past the limit.
  server.signInLimiter.recordFailure(limiterKey);
  if (verdict.delayMs > 0) await server.sleep(verdict.delayMs);

  const row = await server.users.byEmail(email.trim().toLowerCase());
  if (!(await server.passwords.verify(password, row?.encrypted_password))) throw errors.invalidCredentials();
  server.signInLimiter.recordSuccess(limiterKey);
  // Checked after the password, as GoTrue does, so these answers do not reveal which emails exist.
  if (!row!.email_confirmed_at) throw errors.emailNotConfirmed();
  if (isBanned(row!)) throw errors.userBanned();

  const user = toUserObject(await server.users.recordSignIn(row!.id));
  const session = await server.sessions.start(user.id);
  return issueSession(server.keys, user, session, server.issuer, server.config.jwtExpirySeconds);
}

async function refreshGrant(server: AuthServer, body: Record<string, unknown>): Promise<SessionResponse> {
  const { refresh_token: presented } = body;
  if (typeof presented !== 'string' || presented === '') throw errors.validation('refresh_token required');
  const session = await server.sessions.refresh(presented, server.config.refreshTokenReuseIntervalSeconds);
  const row = await server.users.byId(session.userId);
  if (!row) throw errors.refreshTokenNotFound();
  if (isBanned(row)) throw errors.userBanned();
  return issueSession(server.keys, toUserObject(row), session, server.issuer, server.config.jwtExpirySeconds);
}
