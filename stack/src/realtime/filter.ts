// postgres_changes filters, in the syntax realtime-js builds (RealtimePostgresFilterBuilder):
//   column=op.value, several joined by "," (all must hold), "not." negates, values with
//   , ( ) " \ or outer spaces are double-quoted with backslash escapes, in.(a,b,"c,d").
// A filter compiles to a SQL boolean over a row alias, so Postgres compares with the column's own
// type (uuid, enum, timestamptz, bigint) exactly as a PostgREST filter would.
import { quoteIdent } from '../db/quote.ts';

export const FILTER_OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'ilike', 'match', 'imatch', 'is', 'isdistinct',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterCondition {
  column: string;
  operator: FilterOperator;
  negated: boolean;
  /** One value, except for `in`. */
  values: string[];
}

export class FilterError extends Error {}

const COMPARISONS: Partial<Record<FilterOperator, string>> = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', isdistinct: 'is distinct from',
};
const TEXT_MATCHES: Partial<Record<FilterOperator, string>> = { like: 'like', ilike: 'ilike', match: '~', imatch: '~*' };
const IS_VALUES: Record<string, string> = { null: 'null', true: 'true', false: 'false', unknown: 'unknown' };

export function parseFilter(text: string): FilterCondition[] {
  if (text.trim() === '') throw new FilterError('filter is empty');
  return splitTopLevel(text, ',').map(parseCondition);
}

function parseCondition(text: string): FilterCondition {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new FilterError(`filter "${text}" is not of the form column=operator.value`);
  const column = text.slice(0, equals).trim();
  let rest = text.slice(equals + 1);
  let negated = false;
  if (rest.startsWith('not.')) {
    negated = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf('.');
  const operator = (dot < 0 ? rest : rest.slice(0, dot)) as FilterOperator;
  if (!FILTER_OPERATORS.includes(operator)) {
    throw new FilterError(`filter "${text}": unknown operator "${operator}"; supported: ${FILTER_OPERATORS.join(', ')}`);
  }
  if (dot < 0) throw new FilterError(`filter "${text}" has no value after "${operator}."`);
  const raw = rest.slice(dot + 1);
  if (operator === 'in') {
    if (!raw.startsWith('(') || !raw.endsWith(')')) throw new FilterError(`filter "${text}": in needs a list like in.(a,b)`);
    const values = splitTopLevel(raw.slice(1, -1), ',').map(unquote);
    if (values.length === 0 || (values.length === 1 && values[0] === '')) {
      throw new FilterError(`filter "${text}": in needs at least one value`);
    }
    return { column, operator, negated, values };
  }
  const value = unquote(raw);
  if (operator === 'is' && !(value.toLowerCase() in IS_VALUES)) {
    throw new FilterError(`filter "${text}": is takes null, true, false or unknown`);
  }
  return { column, operator, negated, values: [value] };
}

/** Splits on `separator` outside double quotes and parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw new FilterError(`filter "${text}" has an unterminated quote`);
  if (depth !== 0) throw new FilterError(`filter "${text}" has unbalanced parentheses`);
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
  const param = (value: string) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const parts = conditions.map((condition) => {
    if (!columns.has(condition.column)) throw new FilterError(`filter column "${condition.column}" does not exist`);
    const column = `${rowAlias}.${quoteIdent(condition.column)}`;
    const { operator, values } = condition;
    let sql: string;
    if (operator === 'in') sql = `${column} in (${values.map(param).join(', ')})`;
    else if (operator === 'is') sql = `${column} is ${IS_VALUES[values[0].toLowerCase()]}`;
    else if (TEXT_MATCHES[operator]) sql = `${column}::text ${TEXT_MATCHES[operator]} ${param(values[0])}`;
    else sql = `${column} ${COMPARISONS[operator]} ${param(values[0])}`;
    return condition.negated ? `not (${sql})` : `(${sql})`;
  });
  return { sql: `coalesce(${parts.join(' and ')}, false)`, params };
}
