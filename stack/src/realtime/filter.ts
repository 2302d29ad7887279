// postgres_changes filters, in the syntax realtime-js builds (RealtimePostgresFilterBuilder):
//   column=eq.value, several joined by "," (all must hold); values with , ( ) " \ or outer spaces
//   are double-quoted with backslash escapes.
// The stack takes the one operator this project subscribes with, eq. Hosted Realtime also takes
// neq, lt, lte, gt, gte and in (and realtime-js can build more); those are refused at join with a
// reason instead of being half-supported.
// A filter compiles to a SQL boolean over a row alias, so Postgres compares with the column's own
// type (uuid, enum, timestamptz, bigint) exactly as a PostgREST filter would.
import { quoteIdent } from '../db/quote.ts';

export interface FilterCondition {
  column: string;
  operator: 'eq';
  value: string;
}

export class FilterError extends Error {}

const UNSUPPORTED = ['neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct'];

export function parseFilter(text: string): FilterCondition[] {
  if (text.trim() === '') throw new FilterError('filter is empty');
  return splitOutsideQuotes(text).map(parseCondition);
}

function parseCondition(text: string): FilterCondition {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new FilterError(`filter "${text}" is not of the form column=operator.value`);
  const column = text.slice(0, equals).trim();
  const rest = text.slice(equals + 1);
  const dot = rest.indexOf('.');
  const operator = dot < 0 ? rest : rest.slice(0, dot);
  if (operator === 'not' || UNSUPPORTED.includes(operator)) {
    throw new FilterError(
      `filter "${text}": "${operator}" is not supported by the embedded stack, which filters with eq only`,
    );
  }
  if (operator !== 'eq') throw new FilterError(`filter "${text}": unknown operator "${operator}"; supported: eq`);
  if (dot < 0) throw new FilterError(`filter "${text}" has no value after "${operator}."`);
  return { column, operator, value: unquote(rest.slice(dot + 1)) };
}

/** Splits on commas outside double quotes. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw new FilterError(`filter "${text}" has an unterminated quote`);
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

export interface CompiledFilter {
  /** A boolean SQL expression (never null) over `rowAlias`. */
  sql: string;
  params: string[];
}

/**
 * Compiles conditions to SQL. Column names are checked against `columns` (so they are never
 * user-controlled SQL); values always travel as parameters, numbered from `firstParam`.
 */
export function compileFilter(
  conditions: FilterCondition[],
  columns: ReadonlySet<string>,
  rowAlias: string,
  firstParam: number,
): CompiledFilter {
  const params: string[] = [];
  const parts = conditions.map((condition) => {
    if (!columns.has(condition.column)) throw new FilterError(`filter column "${condition.column}" does not exist`);
    params.push(condition.value);
    return `(${rowAlias}.${quoteIdent(condition.column)} = $${firstParam + params.length - 1})`;
  });
  return { sql: `coalesce(${parts.join(' and ')}, false)`, params };
}
