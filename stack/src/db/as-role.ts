import type { Claims, Db, Queryable, TransactionOptions } from '../types.ts';
import { quoteLiteral } from './quote.ts';

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
 * The settings are written as literals, not parameters: they are the transaction's prelude, which
 * travels with BEGIN and the request's first statement (lazy-begin.ts), one round trip less per request.
 */
export function asRole<T>(db: Db, claims: Claims, fn: (tx: Queryable) => Promise<T>, options?: Pick<TransactionOptions, 'single'>): Promise<T> {
  if (!isApiRole(claims.role)) return Promise.reject(new UnknownRoleError(claims.role));
  let settings: string;
  try {
    settings = setClaimsSql(claims.role, claims);
  } catch (error) {
    return Promise.reject(error);
  }
  return db.transaction(fn, { prelude: settings, single: options?.single });
}

export function setClaimsSql(role: ApiRole, claims: Claims): string {
  const literal = {
    role: quoteLiteral(role),
    claims: quoteLiteral(JSON.stringify(claims)),
    sub: quoteLiteral(typeof claims.sub === 'string' ? claims.sub : ''),
  };
  return `select set_config('role', ${literal.role}, true), set_config('request.jwt.claims', ${literal.claims}, true),
              set_config('request.jwt.claim.role', ${literal.role}, true), set_config('request.jwt.claim.sub', ${literal.sub}, true)`;
}
