// PostgREST's `db-max-rows`, which Supabase sets from config.toml's `[api] max_rows`: every read of a
// table or view and every set-returning function's answer holds at most that many rows, whatever the
// request's limit or Range; the cut shows in Content-Range (`0-999/*`, or `0-999/1011` with
// `Prefer: count=exact`, then status 206). Writes (insert/update/delete with return=representation)
// are not capped, as in PostgREST (treeRestrictRange skips mutations). Applying it here is what makes a
// client that forgets to page fail locally exactly as it would on hosted Supabase.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParsedQuery } from './parse-query.ts';

/** `max_rows = N` of the `[api]` table (a line-based read of the scalar; not a TOML parser). */
export function maxRowsFromToml(text: string): number | undefined {
  let table = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) table = header[1].trim();
    else if (table === 'api') {
      const value = /^max_rows\s*=\s*(\d+)$/.exec(line)?.[1];
      if (value !== undefined) return Number(value) > 0 ? Number(value) : undefined;
    }
  }
  return undefined;
}

/** The cap of the project at rootDir (supabase/config.toml); undefined when it sets none. */
export async function loadMaxRows(rootDir: string): Promise<number | undefined> {
  try {
    return maxRowsFromToml(await readFile(path.join(rootDir, 'supabase', 'config.toml'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Narrows the query's range to the cap, as PostgREST's restrictRange does: the requested rows
 * intersected with `max_rows` rows from the requested offset (a smaller limit stays).
 */
export function capRows(query: ParsedQuery, maxRows: number | undefined): void {
  if (maxRows === undefined) return;
  query.limit = query.limit === undefined ? maxRows : Math.min(query.limit, maxRows);
}
