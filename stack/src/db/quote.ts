// The stack's only SQL quoting. Values always travel as parameters; this is for what cannot be a
// parameter: identifiers (checked first against the catalog or a parser).

/** An identifier, always quoted, as Postgres's quote_ident() writes it when quoting is needed. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.name, both quoted. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
