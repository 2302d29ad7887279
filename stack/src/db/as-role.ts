import type { Claims, Db, Queryable } from '../types.ts';

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
 */
export function asRole<T>(db: Db, claims: Claims, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  if (!isApiRole(claims.role)) return Promise.reject(new UnknownRoleError(claims.role));
  return db.transaction(async (tx) => {
    await tx.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.jwt.claim.role', $1, true), set_config('request.jwt.claim.sub', $3, true)`,
      [claims.role, JSON.stringify(claims), typeof claims.sub === 'string' ? claims.sub : ''],
    );
    return fn(tx);
  });
}
