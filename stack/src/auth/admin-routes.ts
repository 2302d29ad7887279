import type { AuthServer } from './auth-server.ts';
import { errors } from './errors.ts';
import { assertAcceptablePassword } from './passwords.ts';
import {
  mergeMetadata,
  metadataField,
  normalizeEmail,
  toUserObject,
  type UserChanges,
  type UserObject,
} from './users.ts';

/** Every user starts with GoTrue's provider bookkeeping; admins add e.g. `role` on top. */
const EMAIL_PROVIDER = { provider: 'email', providers: ['email'] };

/** POST /admin/users */
export async function adminCreateUser(server: AuthServer, body: Record<string, unknown>): Promise<UserObject> {
  const email = normalizeEmail(body.email);
  let passwordHash: string | null = null;
  if (body.password !== undefined && body.password !== null) {
    assertAcceptablePassword(body.password, server.config.minPasswordLength);
    passwordHash = await server.passwords.hash(body.password);
  }
  const row = await server.users.create({
    email,
    passwordHash,
    emailConfirmed: optionalBoolean(body, 'email_confirm') ?? false,
    appMetadata: mergeMetadata(EMAIL_PROVIDER, metadataField(body, 'app_metadata') ?? {}),
    userMetadata: metadataField(body, 'user_metadata') ?? {},
  });
  const bannedUntil = banDuration(body);
  return toUserObject(bannedUntil === undefined ? row : await server.users.update(row.id, { bannedUntil }));
}

/** PUT /admin/users/<id> — metadata is merged key by key (null deletes a key), as in GoTrue. */
export async function adminUpdateUser(
  server: AuthServer,
  id: string,
  body: Record<string, unknown>,
): Promise<UserObject> {
  const row = await server.users.byId(id);
  if (!row) throw errors.userNotFound();
  const changes: UserChanges = {};
  if (body.email !== undefined && body.email !== null) changes.email = normalizeEmail(body.email);
  if (body.password !== undefined && body.password !== null) {
    assertAcceptablePassword(body.password, server.config.minPasswordLength);
    changes.passwordHash = await server.passwords.hash(body.password);
  }
  const emailConfirm = optionalBoolean(body, 'email_confirm');
  if (emailConfirm !== undefined) changes.emailConfirmed = emailConfirm;
  const appMetadata = metadataField(body, 'app_metadata');
  if (appMetadata) changes.appMetadata = mergeMetadata(row.raw_app_meta_data ?? {}, appMetadata);
  const userMetadata = metadataField(body, 'user_metadata');
  if (userMetadata) changes.userMetadata = mergeMetadata(row.raw_user_meta_data ?? {}, userMetadata);
  const bannedUntil = banDuration(body);
  if (bannedUntil !== undefined) changes.bannedUntil = bannedUntil;
  const updated = await server.users.update(id, changes);
  // A banned user or a reset password must not keep refreshing old sessions.
  if (changes.passwordHash || bannedUntil) await server.sessions.logout(id, undefined, 'global');
  return toUserObject(updated);
}

export async function adminGetUser(server: AuthServer, id: string): Promise<UserObject> {
  const row = await server.users.byId(id);
  if (!row) throw errors.userNotFound();
  return toUserObject(row);
}

export async function adminDeleteUser(server: AuthServer, id: string): Promise<Record<string, never>> {
  if (!(await server.users.delete(id))) throw errors.userNotFound();
  return {};
}

/** GET /admin/users?page=&per_page= — auth-js sends both, possibly empty. */
export async function adminListUsers(
  server: AuthServer,
  query: URLSearchParams,
): Promise<{ body: { users: UserObject[]; aud: string }; headers: Record<string, string> }> {
  const page = positiveInt(query.get('page'), 1, 'page');
  const perPage = Math.min(positiveInt(query.get('per_page'), 50, 'per_page'), 1000);
  const { users, total } = await server.users.list(page, perPage);
  const headers: Record<string, string> = { 'x-total-count': String(total) };
  const link = paginationLinks(page, perPage, total);
  if (link) headers.link = link;
  return { body: { users: users.map(toUserObject), aud: 'authenticated' }, headers };
}

/** GoTrue's Link header, from which auth-js fills nextPage/lastPage of listUsers(). */
export function paginationLinks(page: number, perPage: number, total: number): string | undefined {
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number, rel: string) => `</admin/users?page=${p}&per_page=${perPage}>; rel="${rel}"`;
  const links = page < lastPage ? [link(page + 1, 'next'), link(lastPage, 'last')] : [];
  return links.length ? links.join(', ') : undefined;
}

function positiveInt(value: string | null, fallback: number, name: string): number {
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw errors.validation(`${name} must be a positive integer`);
  return n;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw errors.validation(`${field} must be a boolean`);
  return value;
}

const DURATION_UNITS_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * `ban_duration`: "none" lifts a ban, otherwise a Go-style duration such as "24h" or "90m"
 * (one number and unit; GoTrue accepts compound ones too, which nothing here needs).
 */
export function banDuration(body: Record<string, unknown>, now = Date.now()): Date | null | undefined {
  const value = body.ban_duration;
  if (value === undefined || value === null || value === '') return undefined;
  if (value === 'none') return null;
  const match = typeof value === 'string' ? /^(\d+)(h|m|s|ms)$/.exec(value) : null;
  if (!match) throw errors.validation('ban_duration must be "none" or a duration like "24h"');
  return new Date(now + Number(match[1]) * DURATION_UNITS_MS[match[2]]);
}
