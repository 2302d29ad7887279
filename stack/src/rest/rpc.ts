import type { Queryable } from '../types.ts';
import type { Catalog, FunctionInfo } from './catalog.ts';
import type { ParsedQuery } from './parse-query.ts';
import { EXPOSED_SCHEMA } from './catalog.ts';
import { RestError } from './errors.ts';
import { quoteIdent, quoteQualified } from '../db/quote.ts';
import { Params, jsonBody, limitClause, orderClause, whereClause } from './sql.ts';

export interface RpcResult {
  /** JSON text; '' for a void function. */
  body: string;
  /** Rows for set-returning functions (for Content-Range and single()). */
  rows?: number;
  /** With Prefer: count=exact, how many rows the function's filtered answer has before the limit. */
  total?: number;
}

/** Picks the overload whose arguments match the given names, as PostgREST does; 404 PGRST202 if none. */
export function resolveFunction(name: string, candidates: FunctionInfo[], argNames: string[]): FunctionInfo {
  const match = candidates.find((f) => {
    const declared = new Set(f.args.map((a) => a.name));
    const required = f.args.slice(0, f.requiredCount).map((a) => a.name);
    return argNames.every((n) => declared.has(n)) && required.every((n) => argNames.includes(n));
  });
  if (!match) {
    const shown = argNames.length ? `(${argNames.join(', ')})` : ' without parameters';
    throw new RestError(
      404,
      'PGRST202',
      `Could not find the function ${EXPOSED_SCHEMA}.${name}${shown} in the schema cache`,
      `Searched for the function ${EXPOSED_SCHEMA}.${name} with parameters ${argNames.join(', ') || 'none'}`,
      null,
    );
  }
  return match;
}

export async function lookupFunction(catalog: Catalog, name: string, argNames: string[]): Promise<FunctionInfo> {
  return resolveFunction(name, await catalog.functionsNamed(name), argNames);
}

/**
 * Calls the function with named notation, each argument cast to its declared type.
 * `args` holds each argument as the text Postgres parses (see toParam; GET /rpc passes query text as is).
 */
export async function callFunction(
  tx: Queryable,
  fn: FunctionInfo,
  args: Map<string, string | null>,
  query: ParsedQuery,
  withCount = false,
): Promise<RpcResult> {
  const params = new Params();
  const named = fn.args
    .filter((a) => args.has(a.name))
    .map((a) => `${quoteIdent(a.name)} => ${params.add(args.get(a.name))}::${a.type}`);
  const call = `${quoteQualified(EXPOSED_SCHEMA, fn.name)}(${named.join(', ')})`;
  if (fn.returnsVoid) {
    await tx.query(`select ${call}`, params.values);
    return { body: '' };
  }
  if (!fn.returnsSet) {
    // A scalar null answers `null`, as PostgREST does.
    const { rows } = await tx.query<{ body: string }>(
      `select coalesce(to_json(${call})::text, 'null') as body`,
      params.values,
    );
    return { body: rows[0].body };
  }
  // Set-returning functions take filters, order and limit like a table.
  const where = whereClause(query.filters, params);
  if (withCount) {
    // Counted as PostgREST does: the function runs once (a CTE), the page and the total both read it.
    const page = `_pgrst_call _pgrst_src${where}${orderClause(query.order)}${limitClause(query.limit, query.offset, params)}`;
    const sql = `with _pgrst_call as (select * from ${call}) select page.*, (select count(*)::int from _pgrst_call _pgrst_src${where}) as total from (${jsonBody(page, query.select)}) page`;
    const { rows } = await tx.query<{ body: string; n: number; total: number }>(sql, params.values);
    return { body: rows[0].body, rows: rows[0].n, total: rows[0].total };
  }
  const source = `${call} _pgrst_src${where}${orderClause(query.order)}${limitClause(query.limit, query.offset, params)}`;
  const { rows } = await tx.query<{ body: string; n: number }>(jsonBody(source, query.select), params.values);
  return { body: rows[0].body, rows: rows[0].n };
}

/** JSON values → the text Postgres parses for the declared type. */
export function toParam(value: unknown, arg: { isArray: boolean; isJson: boolean }): string | null {
  if (value === null || value === undefined) return null;
  if (arg.isJson) return JSON.stringify(value);
  if (arg.isArray && Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function arrayLiteral(items: unknown[]): string {
  return `{${items.map((v) => (v === null ? 'NULL' : `"${String(typeof v === 'object' ? JSON.stringify(v) : v).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}
