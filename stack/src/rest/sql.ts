// Identifiers are always quoted (after the parser checked them); values are always parameters.
import { quoteIdent as ident } from '../db/quote.ts';
import type { Filter, OrderTerm, SelectItem } from './parse-query.ts';

/** Collects positional parameters while SQL text is assembled. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export function selectList(items: SelectItem[]): string {
  return items
    .map((i) => (i.column === '*' ? '*' : i.alias ? `${ident(i.column)} as ${ident(i.alias)}` : ident(i.column)))
    .join(', ');
}

const COMPARISON: Record<string, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'like',
  ilike: 'ilike',
};

export function condition(filter: Filter, params: Params): string {
  const column = ident(filter.column);
  let sql: string;
  if (filter.operator === 'is') {
    sql = filter.value === 'not_null' ? `${column} is not null` : `${column} is ${filter.value}`;
  } else if (filter.operator === 'in') {
    const list = filter.value as string[];
    sql = list.length === 0 ? 'false' : `${column} in (${list.map((v) => params.add(v)).join(', ')})`;
  } else {
    // PostgREST's like patterns use * for %, because % is awkward in URLs.
    const value =
      filter.operator === 'like' || filter.operator === 'ilike'
        ? (filter.value as string).replace(/\*/g, '%')
        : filter.value;
    sql = `${column} ${COMPARISON[filter.operator]} ${params.add(value)}`;
  }
  return filter.negated ? `not (${sql})` : sql;
}

export function whereClause(filters: Filter[], params: Params): string {
  return filters.length ? ` where ${filters.map((f) => condition(f, params)).join(' and ')}` : '';
}

export function orderClause(order: OrderTerm[]): string {
  if (!order.length) return '';
  const terms = order.map(
    (t) => `${ident(t.column)} ${t.descending ? 'desc' : 'asc'}${t.nulls ? ` nulls ${t.nulls}` : ''}`,
  );
  return ` order by ${terms.join(', ')}`;
}

export function limitClause(limit: number | undefined, offset: number | undefined, params: Params): string {
  return (limit !== undefined ? ` limit ${params.add(limit)}` : '') + (offset ? ` offset ${params.add(offset)}` : '');
}

/** Wraps a row source so that Postgres renders the JSON body (the same JSON on PGlite and on Postgres). */
export function jsonBody(source: string, select: SelectItem[]): string {
  return `select coalesce(json_agg(_pgrst_row), '[]')::text as body, count(*)::int as n from (select ${selectList(select)} from ${source}) _pgrst_row`;
}
