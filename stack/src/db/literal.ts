/**
 * A text value as an SQL string literal, as Postgres's quote_literal() writes it: quotes doubled, and
 * with backslashes present the E'' form with backslashes doubled, so the value reads back exactly under
 * any standard_conforming_strings. Used where a statement must carry no parameters (see as-role.ts).
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new TypeError('a text value cannot contain a NUL character');
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
