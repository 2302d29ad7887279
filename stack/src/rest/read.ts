import type { Queryable } from '../types.ts';
import type { ParsedQuery } from './parse-query.ts';
import { quoteQualified } from '../db/quote.ts';
import { Params, jsonBody, limitClause, orderClause, whereClause } from './sql.ts';
import { EXPOSED_SCHEMA } from './catalog.ts';

export interface ReadResult {
  body: string;
  rows: number;
  total?: number;
}

/** GET /rest/v1/<table>: one statement renders the page as JSON and, when asked, the exact count. */
export async function readRows(
  tx: Queryable,
  table: string,
  query: ParsedQuery,
  withCount: boolean,
): Promise<ReadResult> {
  const params = new Params();
  const from = quoteQualified(EXPOSED_SCHEMA, table);
  const where = whereClause(query.filters, params);
  const source = `${from}${where}${orderClause(query.order)}${limitClause(query.limit, query.offset, params)}`;
  const count = withCount ? `, (select count(*)::int from ${from}${where}) as total` : '';
  const sql = `select page.*${count} from (${jsonBody(source, query.select)}) page`;
  const { rows } = await tx.query<{ body: string; n: number; total?: number }>(sql, params.values);
  return { body: rows[0].body, rows: rows[0].n, total: rows[0].total };
}

/** Content-Range as PostgREST writes it: `0-9/42`, `*\/0` when empty, `/*` when not counted. */
export function contentRange(offset: number, rows: number, total?: number): string {
  const range = rows > 0 ? `${offset}-${offset + rows - 1}` : '*';
  return `${range}/${total ?? '*'}`;
}

/** 206 when a counted result is only partly returned, as PostgREST does. */
export function readStatus(rows: number, total?: number): number {
  return total !== undefined && rows < total ? 206 : 200;
}
