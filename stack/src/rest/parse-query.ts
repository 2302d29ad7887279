import { parseError } from './errors.ts';

export const FILTER_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type IsValue = 'null' | 'not_null' | 'true' | 'false' | 'unknown';

export interface Filter {
  column: string;
  operator: FilterOperator;
  negated: boolean;
  /** A string for most operators, a list for `in`, a keyword for `is`. */
  value: string | string[];
}
export interface SelectItem {
  column: string; // '*' for all columns
  alias?: string;
}
export interface OrderTerm {
  column: string;
  descending: boolean;
  nulls?: 'first' | 'last';
}
export interface ParsedQuery {
  select: SelectItem[];
  filters: Filter[];
  order: OrderTerm[];
  limit?: number;
  offset?: number;
  onConflict?: string[];
  columns?: string[];
  /** Parameters that are neither reserved words nor filters' columns: function arguments for GET /rpc. */
  named: Map<string, string>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns']);

export function parseIdentifier(name: string, what = 'column'): string {
  if (!IDENTIFIER.test(name)) throw parseError(`"${name}" is not a valid ${what} name`);
  return name;
}

/**
 * Reads PostgREST query parameters. `argNames` (GET /rpc) claims parameters that name
 * function arguments; every other non-reserved parameter is a filter `column=op.value`.
 */
export function parseQuery(params: URLSearchParams, argNames: ReadonlySet<string> = new Set()): ParsedQuery {
  const query: ParsedQuery = { select: [{ column: '*' }], filters: [], order: [], named: new Map() };
  for (const [key, value] of params) {
    if (key === 'select') query.select = parseSelect(value);
    else if (key === 'order') query.order = parseOrder(value);
    else if (key === 'limit') query.limit = parseCount(key, value);
    else if (key === 'offset') query.offset = parseCount(key, value);
    else if (key === 'on_conflict') query.onConflict = value.split(',').map((c) => parseIdentifier(c.trim()));
    else if (key === 'columns')
      query.columns = value.split(',').map((c) => parseIdentifier(c.trim().replace(/^"(.*)"$/, '$1')));
    else if (argNames.has(key)) query.named.set(key, value);
    else if (key === 'or' || key === 'and') throw parseError(`logical filter "${key}" is not supported by this stack`);
    else if (!RESERVED.has(key)) query.filters.push(parseFilter(key, value));
  }
  return query;
}

export function parseSelect(value: string): SelectItem[] {
  if (value.trim() === '') return [{ column: '*' }];
  return value.split(',').map((raw) => {
    const item = raw.trim();
    if (item === '*') return { column: '*' };
    if (item.includes('(')) throw parseError(`embedded resources are not supported by this stack: "${item}"`);
    const [alias, column] = item.includes(':') ? item.split(':', 2) : [undefined, item];
    return alias === undefined
      ? { column: parseIdentifier(column) }
      : { column: parseIdentifier(column), alias: parseIdentifier(alias, 'alias') };
  });
}

export function parseOrder(value: string): OrderTerm[] {
  return value.split(',').map((raw) => {
    const [column, ...modifiers] = raw.trim().split('.');
    const term: OrderTerm = { column: parseIdentifier(column), descending: false };
    for (const modifier of modifiers) {
      if (modifier === 'asc') term.descending = false;
      else if (modifier === 'desc') term.descending = true;
      else if (modifier === 'nullsfirst') term.nulls = 'first';
      else if (modifier === 'nullslast') term.nulls = 'last';
      else throw parseError(`failed to parse order (${value})`, `unknown modifier "${modifier}"`);
    }
    return term;
  });
}

export function parseFilter(column: string, raw: string): Filter {
  parseIdentifier(column);
  let rest = raw;
  let negated = false;
  if (rest.startsWith('not.')) {
    negated = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf('.');
  const operator = (dot === -1 ? rest : rest.slice(0, dot)) as FilterOperator;
  if (dot === -1 || !FILTER_OPERATORS.includes(operator)) {
    throw parseError(
      `failed to parse filter (${raw})`,
      `expected "operator.value" with an operator among ${FILTER_OPERATORS.join(', ')}`,
    );
  }
  const operand = rest.slice(dot + 1);
  if (operator === 'in') return { column, operator, negated, value: parseList(operand, raw) };
  if (operator === 'is') {
    const keyword = operand.toLowerCase();
    if (!['null', 'not_null', 'true', 'false', 'unknown'].includes(keyword)) {
      throw parseError(`failed to parse filter (${raw})`, 'is. takes null, not_null, true, false or unknown');
    }
    return { column, operator, negated, value: keyword };
  }
  return { column, operator, negated, value: operand };
}

/** `(a,b,"c,d")` → ['a', 'b', 'c,d']; double quotes protect commas and parentheses, \" escapes. */
export function parseList(operand: string, raw = operand): string[] {
  if (!operand.startsWith('(') || !operand.endsWith(')'))
    throw parseError(`failed to parse filter (${raw})`, 'in. takes a list like (a,b)');
  const body = operand.slice(1, -1);
  if (body === '') return [];
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted && ch === '\\' && i + 1 < body.length) current += body[++i];
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  if (quoted) throw parseError(`failed to parse filter (${raw})`, 'unclosed double quote');
  items.push(current);
  return items;
}

function parseCount(key: string, value: string): number {
  if (!/^\d+$/.test(value)) throw parseError(`"${key}" must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** `Range: 0-9` (items) → offset 0, limit 10. */
export function parseRange(header: string | undefined): { offset: number; limit?: number } | undefined {
  const match = header && /^\s*(?:items=)?(\d+)-(\d*)\s*$/.exec(header);
  if (!match) return undefined;
  const from = Number(match[1]);
  return match[2] === '' ? { offset: from } : { offset: from, limit: Math.max(0, Number(match[2]) - from + 1) };
}

/** `Prefer: return=representation, count=exact` → Map { return → representation, count → exact }. */
export function parsePrefer(header: string | string[] | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  for (const part of [header ?? []].flat().join(',').split(',')) {
    const [key, value = ''] = part.trim().split('=');
    if (key) prefs.set(key.trim(), value.trim());
  }
  return prefs;
}
