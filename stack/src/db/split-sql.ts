/**
 * Splits a SQL script into statements the way the Supabase CLI records them in
 * supabase_migrations.schema_migrations.statements: on semicolons outside quotes,
 * dollar-quoted bodies and comments.
 */
export function splitSql(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < script.length) {
    const ch = script[i];
    const rest = script.slice(i);
    if (rest.startsWith('--')) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
    } else if (rest.startsWith('/*')) {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (ch === "'" || ch === '"') {
      const end = closingQuote(script, i, ch);
      i = end === -1 ? script.length : end + 1;
    } else if (ch === '$') {
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(rest)?.[0];
      if (tag && !/[A-Za-z_0-9]/.test(script[i - 1] ?? '')) {
        const end = script.indexOf(tag, i + tag.length);
        i = end === -1 ? script.length : end + tag.length;
      } else i++;
    } else if (ch === ';') {
      push(script.slice(start, i));
      start = ++i;
    } else i++;
  }
  push(script.slice(start));
  return statements;

  function push(statement: string) {
    if (stripComments(statement).trim()) statements.push(statement.trim());
  }
}

/** Index of the quote that closes the one at `from` ('' and "" are escaped quotes). */
function closingQuote(script: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < script.length) {
    if (script[i] === quote) {
      if (script[i + 1] === quote) i += 2;
      else return i;
    } else i++;
  }
  return -1;
}

function stripComments(sql: string) {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
