import type { Claims, Db, Queryable, TransactionOptions } from '../types.ts';

/** The only database roles a JWT may switch to (what PostgREST's authenticator may become here). */
export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export class UnknownRoleError extends Error {
  constructor(role: unknown) {
    super(`role "${String(role)}" is not an API role`);
  }
}

export function isApiRole(role: unknown): role is ApiRole {
  return (API_ROLES as readonly unknown[]).includes(role);
}

/**
 * One transaction as the claims' role with the claims visible to SQL, exactly as PostgREST does
 * it, so auth.uid(), auth.jwt() and RLS policies decide as on hosted Supabase.
 * The claim.role / claim.sub settings serve older helpers that read them one by one.
 * The settings are the transaction's prelude, which travels with BEGIN and the request's first statement
 * (lazy-begin.ts); it is one prepared statement with the claims as parameters, so a request does not pay
 * for parsing and planning it (measured in docs/performance.md).
 */
export function asRole<T>(
  db: Db,
  claims: Claims,
  fn: (tx: Queryable) => Promise<T>,
  options: AsRoleOptions = {},
): Promise<T> {
  if (!isApiRole(claims.role)) return Promise.reject(new UnknownRoleError(claims.role));
  return db.transaction(fn, { prelude: SET_CLAIMS_SQL, preludeParams: claimsParams(claims.role, claims), ...options });
}

/**
 * readOnly: a READ ONLY transaction, as PostgREST runs GET and HEAD (and STABLE/IMMUTABLE functions): a
 * write fails with SQLSTATE 25006, which the REST module answers 405 as PostgREST does.
 * single: the request runs one statement, whose COMMIT travels with it (lazy-begin.ts).
 */
export type AsRoleOptions = Pick<TransactionOptions, 'readOnly' | 'single'>;

/** SET_CLAIMS_SQL's parameters: $1 role, $2 the claims as JSON, $3 sub. */
export function claimsParams(role: ApiRole, claims: Claims): string[] {
  return [role, JSON.stringify(claims), typeof claims.sub === 'string' ? claims.sub : ''];
}

export const SET_CLAIMS_SQL = `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.jwt.claim.role', $1, true), set_config('request.jwt.claim.sub', $3, true)`;
