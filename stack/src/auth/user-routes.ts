import type { IncomingMessage } from 'node:http';
import { issueSession, type SessionResponse } from './access-tokens.ts';
import type { AuthServer } from './auth-server.ts';
import { clientAddress } from './http.ts';
import { requireUser } from './authenticate.ts';
import { errors } from './errors.ts';
import { assertAcceptablePassword } from './passwords.ts';
import type { LogoutScope } from './sessions.ts';
import {
  mergeMetadata,
  metadataField,
  normalizeEmail,
  toUserObject,
  type UserChanges,
  type UserObject,
} from './users.ts';

/** GET /user */
export async function getUser(server: AuthServer, req: IncomingMessage): Promise<UserObject> {
  const { user } = await requireUser(req, server.keys, server.users, server.sessions);
  return toUserObject(user);
}

/**
 * PUT /user — what a user may change about themselves: user_metadata (`data`) and password.
 * Anything else in the body (app_metadata, role, …) is ignored, as GoTrue ignores it: the
 * project's roles live in app_metadata precisely because users cannot write it.
 */
export async function updateUser(
  server: AuthServer,
  req: IncomingMessage,
  body: Record<string, unknown>,
): Promise<UserObject> {
  const { user, sessionId } = await requireUser(req, server.keys, server.users, server.sessions);
  if (typeof body.email === 'string' && body.email.trim().toLowerCase() !== user.email) {
    throw errors.validation('Changing the email address is not supported by this server');
  }
  if (typeof body.phone === 'string' && body.phone !== '') {
    throw errors.validation('Phone numbers are not supported by this server');
  }
  const changes: UserChanges = {};
  const data = metadataField(body, 'data');
  if (data) changes.userMetadata = mergeMetadata(user.raw_user_meta_data ?? {}, data);
  if (body.password !== undefined && body.password !== null) {
    assertAcceptablePassword(body.password, server.config.minPasswordLength);
    if (await server.passwords.verify(body.password, user.encrypted_password)) throw errors.samePassword();
    changes.passwordHash = await server.passwords.hash(body.password);
  }
  if (Object.keys(changes).length === 0) return toUserObject(user);
  const updated = await server.users.update(user.id, changes);
  // A new password ends the user's other sessions, as GoTrue does: whoever knew the old one is out.
  if (changes.passwordHash) await server.sessions.logout(user.id, sessionId, 'others');
  return toUserObject(updated);
}

const LOGOUT_SCOPES: readonly LogoutScope[] = ['global', 'local', 'others'];

/** POST /logout?scope=global|local|others */
export async function logout(server: AuthServer, req: IncomingMessage, scope: string | null): Promise<void> {
  const chosen = (scope ?? 'global') as LogoutScope;
  if (!LOGOUT_SCOPES.includes(chosen)) throw errors.validation(`Unsupported logout scope "${scope}"`);
  const { user, sessionId } = await requireUser(req, server.keys, server.users, server.sessions);
  await server.sessions.logout(user.id, sessionId, chosen);
}

/**
 * POST /signup — off unless config.toml enables it. When on, there is no mailer, so the
 * address counts as confirmed at once (like the CLI's default enable_confirmations = false).
 */
export async function signup(
  server: AuthServer,
  req: IncomingMessage,
  body: Record<string, unknown>,
): Promise<SessionResponse> {
  // Sign-ups count against the same per-address limit as sign-ins ([auth.rate_limit] sign_in_sign_ups).
  const perAddress = server.addressLimiter.take(clientAddress(req));
  if (!perAddress.allowed) throw errors.tooManyRequests(perAddress.retryAfterSeconds);
  if (!server.config.enableSignup) throw errors.signupDisabled();
  const email = normalizeEmail(body.email);
  assertAcceptablePassword(body.password, server.config.minPasswordLength);
  const row = await server.users.create({
    email,
    passwordHash: await server.passwords.hash(body.password),
    emailConfirmed: true,
    appMetadata: { provider: 'email', providers: ['email'] },
    userMetadata: metadataField(body, 'data') ?? {},
  });
  const user = toUserObject(await server.users.recordSignIn(row.id));
  const session = await server.sessions.start(user.id);
  return issueSession(server.keys, user, session, server.issuer, server.config.jwtExpirySeconds);
}
