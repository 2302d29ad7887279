import type { Queryable } from '../types.ts';
import type { ParsedQuery } from './parse-query.ts';
import { parseIdentifier } from './parse-query.ts';
import { quoteIdent, quoteQualified } from '../db/quote.ts';
import { Params, jsonBody, whereClause } from './sql.ts';
import { EXPOSED_SCHEMA } from './catalog.ts';
import { parseError } from './errors.ts';

export interface WriteResult {
  body: string;
  rows: number;
}

export interface InsertOptions {
  /** `merge` = Prefer: resolution=merge-duplicates, `ignore` = ignore-duplicates. */
  resolution?: 'merge' | 'ignore';
  conflictColumns?: string[];
  /** Prefer: missing=default — absent keys take the column default instead of null. */
  missingDefault: boolean;
  returning: boolean;
}

/** RETURNING needs SELECT rights on the columns; a minimal return must not ask for them. */
function finish(write: string, query: ParsedQuery, returning: boolean): string {
  return (
    `with _pgrst_write as (${write} returning ${returning ? '*' : '1 as _'}) ` +
    (returning ? jsonBody('_pgrst_write', query.select) : `select '' as body, count(*)::int as n from _pgrst_write`)
  );
}

export async function insertRows(
  tx: Queryable,
  table: string,
  payload: unknown,
  query: ParsedQuery,
  opts: InsertOptions,
): Promise<WriteResult> {
  const rows = (Array.isArray(payload) ? payload : [payload]) as Record<string, unknown>[];
  if (rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r)))
    throw parseError('insert body must be an object or an array of objects');
  if (rows.length === 0) return { body: '[]', rows: 0 };
  const columns = query.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))].map((c) => parseIdentifier(c));
  // With missing=default, rows that lack some columns are inserted one by one with their own column list.
  const uniform = rows.every((r) => columns.every((c) => c in r));
  const groups =
    uniform || !opts.missingDefault
      ? [{ columns, rows }]
      : rows.map((r) => ({ columns: columns.filter((c) => c in r), rows: [r] }));
  const bodies: unknown[] = [];
  let count = 0;
  for (const group of groups) {
    const params = new Params();
    const target = quoteQualified(EXPOSED_SCHEMA, table);
    const list = group.columns.map(quoteIdent).join(', ');
    const source = group.columns.length
      ? `(${list}) select ${list} from json_populate_recordset(null::${target}, ${params.add(JSON.stringify(group.rows))}::json)`
      : 'default values';
    const write = `insert into ${target} ${source}${onConflict(opts, group.columns)}`;
    const { rows: out } = await tx.query<{ body: string; n: number }>(
      finish(write, query, opts.returning),
      params.values,
    );
    count += out[0].n;
    if (opts.returning) bodies.push(...(JSON.parse(out[0].body) as unknown[]));
  }
  return { body: opts.returning ? JSON.stringify(bodies) : '', rows: count };
}

function onConflict(opts: InsertOptions, columns: string[]): string {
  if (!opts.resolution) return '';
  const target = `(${(opts.conflictColumns ?? []).map(quoteIdent).join(', ')})`;
  const updates = columns.filter((c) => !opts.conflictColumns?.includes(c));
  if (opts.resolution === 'ignore' || updates.length === 0) return ` on conflict ${target} do nothing`;
  return ` on conflict ${target} do update set ${updates.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(', ')}`;
}

export async function updateRows(
  tx: Queryable,
  table: string,
  payload: Record<string, unknown>,
  query: ParsedQuery,
  returning: boolean,
): Promise<WriteResult> {
  const columns = Object.keys(payload).map((c) => parseIdentifier(c));
  if (columns.length === 0) return { body: '[]', rows: 0 };
  const params = new Params();
  const target = quoteQualified(EXPOSED_SCHEMA, table);
  const list = columns.map(quoteIdent).join(', ');
  // A row-valued sub-select keeps the body's column names out of the WHERE clause's scope.
  const values = `(select ${list} from json_populate_record(null::${target}, ${params.add(JSON.stringify(payload))}::json))`;
  const write = `update ${target} set (${list}) = ${values}${whereClause(query.filters, params)}`;
  const { rows } = await tx.query<{ body: string; n: number }>(finish(write, query, returning), params.values);
  return { body: rows[0].body, rows: rows[0].n };
}

export async function deleteRows(
  tx: Queryable,
  table: string,
  query: ParsedQuery,
  returning: boolean,
): Promise<WriteResult> {
  const params = new Params();
  const write = `delete from ${quoteQualified(EXPOSED_SCHEMA, table)}${whereClause(query.filters, params)}`;
  const { rows } = await tx.query<{ body: string; n: number }>(finish(write, query, returning), params.values);
  return { body: rows[0].body, rows: rows[0].n };
}
