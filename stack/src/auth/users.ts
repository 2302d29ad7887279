import type { Queryable } from '../types.ts';
import { errors } from './errors.ts';

type Metadata = Record<string, unknown>;

/** A row of auth.users as this server reads it. */
export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | string | null;
  last_sign_in_at: Date | string | null;
  raw_app_meta_data: Metadata | null;
  raw_user_meta_data: Metadata | null;
  banned_until: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The user object GoTrue returns (the subset auth-js and this project read). */
export interface UserObject {
  id: string;
  aud: string;
  role: string;
  email: string;
  email_confirmed_at?: string;
  confirmed_at?: string;
  phone: string;
  last_sign_in_at?: string;
  app_metadata: Metadata;
  user_metadata: Metadata;
  identities: unknown[];
  created_at: string;
  updated_at: string;
  banned_until?: string;
  is_anonymous: boolean;
}

/** Timestamps arrive as Dates from both drivers, or as Postgres text ("2026-01-01 00:00:00+00"). */
function iso(value: Date | string | null): string | undefined {
  if (value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
}

/** GoTrue omits unset timestamps rather than sending null. */
export function toUserObject(row: UserRow): UserObject {
  const user: UserObject = {
    id: row.id,
    aud: row.aud ?? 'authenticated',
    role: row.role ?? 'authenticated',
    email: row.email ?? '',
    phone: '',
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    is_anonymous: false,
  };
  const confirmed = iso(row.email_confirmed_at);
  if (confirmed) user.email_confirmed_at = user.confirmed_at = confirmed;
  const lastSignIn = iso(row.last_sign_in_at);
  if (lastSignIn) user.last_sign_in_at = lastSignIn;
  const bannedUntil = iso(row.banned_until);
  if (bannedUntil) user.banned_until = bannedUntil;
  return user;
}

/** GoTrue's metadata update: keys are merged in, a null value deletes its key. */
export function mergeMetadata(current: Metadata, updates: Metadata): Metadata {
  const merged: Metadata = { ...current };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export function isBanned(row: UserRow, now = new Date()): boolean {
  return row.banned_until !== null && new Date(row.banned_until) > now;
}

// Deliberately loose (GoTrue's own check is too): one @, something either side, a dot in the domain.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased, trimmed email; GoTrue compares emails case-insensitively. */
export function normalizeEmail(email: unknown): string {
  if (typeof email !== 'string' || email.trim() === '') throw errors.validation('An email address is required');
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 255 || !EMAIL_PATTERN.test(normalized)) {
    throw errors.validation('Unable to validate email address: invalid format');
  }
  return normalized;
}

/** Optional metadata object from a request body. */
export function metadataField(body: Record<string, unknown>, field: string): Metadata | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.validation(`${field} must be a JSON object`);
  return value as Metadata;
}

const COLUMNS = `id, aud, role, email, encrypted_password, email_confirmed_at, last_sign_in_at,
  raw_app_meta_data, raw_user_meta_data, banned_until, created_at, updated_at`;

export interface NewUser {
  email: string;
  passwordHash: string | null;
  emailConfirmed: boolean;
  appMetadata: Metadata;
  userMetadata: Metadata;
}

export interface UserChanges {
  email?: string;
  passwordHash?: string;
  emailConfirmed?: boolean;
  appMetadata?: Metadata;
  userMetadata?: Metadata;
  bannedUntil?: Date | null;
}

/** auth.users access for the auth server (superuser connection: no RLS in the way). */
export class UserStore {
  constructor(private readonly db: Queryable) {}

  async byId(id: string): Promise<UserRow | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<UserRow>(`select ${COLUMNS} from auth.users where id = $1`, [id]);
    return rows[0];
  }

  async byEmail(email: string): Promise<UserRow | undefined> {
    const { rows } = await this.db.query<UserRow>(`select ${COLUMNS} from auth.users where lower(email) = $1`, [
      email.toLowerCase(),
    ]);
    return rows[0];
  }

  async create(user: NewUser): Promise<UserRow> {
    if (await this.byEmail(user.email)) throw errors.emailExists();
    try {
      const { rows } = await this.db.query<UserRow>(
        `insert into auth.users (aud, role, email, encrypted_password, email_confirmed_at,
                                 raw_app_meta_data, raw_user_meta_data)
         values ('authenticated', 'authenticated', $1, $2, case when $3::boolean then now() end, $4::jsonb, $5::jsonb)
         returning ${COLUMNS}`,
        [
          user.email,
          user.passwordHash,
          user.emailConfirmed,
          JSON.stringify(user.appMetadata),
          JSON.stringify(user.userMetadata),
        ],
      );
      return rows[0];
    } catch (error) {
      // Two concurrent creates for one email: the unique index decides.
      if ((error as { code?: string }).code === '23505') throw errors.emailExists();
      throw error;
    }
  }

  async update(id: string, changes: UserChanges): Promise<UserRow> {
    if (changes.email !== undefined) {
      const other = await this.byEmail(changes.email);
      if (other && other.id !== id) throw errors.emailExists();
    }
    const { rows } = await this.db.query<UserRow>(
      `update auth.users set
         email = coalesce($2::text, email),
         encrypted_password = coalesce($3::text, encrypted_password),
         email_confirmed_at = case when $4::boolean is null then email_confirmed_at
                                   when $4 then coalesce(email_confirmed_at, now()) end,
         raw_app_meta_data = coalesce($5::jsonb, raw_app_meta_data),
         raw_user_meta_data = coalesce($6::jsonb, raw_user_meta_data),
         banned_until = case when $7::boolean then $8::timestamptz else banned_until end,
         updated_at = now()
       where id = $1
       returning ${COLUMNS}`,
      [
        id,
        changes.email ?? null,
        changes.passwordHash ?? null,
        changes.emailConfirmed ?? null,
        jsonOrNull(changes.appMetadata),
        jsonOrNull(changes.userMetadata),
        changes.bannedUntil !== undefined,
        changes.bannedUntil ? changes.bannedUntil.toISOString() : null,
      ],
    );
    if (!rows[0]) throw errors.userNotFound();
    return rows[0];
  }

  async recordSignIn(id: string): Promise<UserRow> {
    const { rows } = await this.db.query<UserRow>(
      `update auth.users set last_sign_in_at = now() where id = $1 returning ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  async list(page: number, perPage: number): Promise<{ users: UserRow[]; total: number }> {
    const { rows } = await this.db.query<UserRow>(
      `select ${COLUMNS} from auth.users order by created_at, id limit $1 offset $2`,
      [perPage, (page - 1) * perPage],
    );
    const { rows: count } = await this.db.query<{ total: number }>('select count(*)::int as total from auth.users');
    return { users: rows, total: count[0].total };
  }

  async delete(id: string): Promise<UserRow | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<UserRow>(`delete from auth.users where id = $1 returning ${COLUMNS}`, [id]);
    return rows[0];
  }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

const jsonOrNull = (value: Metadata | undefined): string | null => (value === undefined ? null : JSON.stringify(value));
