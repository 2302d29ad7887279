// The stack's only SQL quoting. Values travel as parameters wherever a statement can take them; these
// are for what cannot be a parameter: identifiers (checked first against the catalog or a parser)
// and parameterless SQL such as a scheduled job's prelude.

/** An identifier, always quoted, as Postgres's quote_ident() writes it when quoting is needed. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.name, both quoted. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A text value as an SQL string literal, as Postgres's quote_literal() writes it: quotes doubled, and
 * with backslashes present the E'' form with backslashes doubled, so the value reads back exactly under
 * any standard_conforming_strings. For SQL that must carry no parameters.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new TypeError('a text value cannot contain a NUL character');
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
