// Reading a whole result through PostgREST's max_rows (1,000 on hosted Supabase, and on the stack
// from config.toml): a single request is cut silently, so the first page asks for the exact count,
// and the rest are read in parallel at whatever page size the server actually answered.

/** One ranged read: rows from..to (inclusive), with the exact total when asked (and its HTTP status). */
export type RangeRead<Row> = (
  from: number,
  to: number,
  withCount: boolean,
) => PromiseLike<{
  data: Row[] | null;
  error: { message?: string; code?: string } | null;
  count?: number | null;
  status?: number;
}>;

/** What a read asks for per request; the server may answer fewer (its max_rows). */
export const PAGE_ROWS = 1000;

export type AllRows<Row> =
  | { data: Row[]; error: null }
  | { data: null; error: { message?: string; code?: string }; status?: number };

/**
 * Every row of an ordered read. Rows that moved between pages (an agent added or removed meanwhile)
 * may appear twice: `key` drops the repeat; the next refresh heals anything missed.
 */
export async function readAllPages<Row>(
  read: RangeRead<Row>,
  key: (row: Row) => string,
  pageRows = PAGE_ROWS,
): Promise<AllRows<Row>> {
  const first = await read(0, pageRows - 1, true);
  if (first.error) return { data: null, error: first.error, status: first.status };
  const rows = first.data ?? [];
  const total = first.count ?? rows.length;
  if (rows.length >= total || rows.length === 0) return { data: rows, error: null };
  // The server's own page size: it may be smaller than what we asked for.
  const size = rows.length;
  const starts: number[] = [];
  for (let from = size; from < total; from += size) starts.push(from);
  const rest = await Promise.all(starts.map((from) => read(from, from + size - 1, false)));
  const seen = new Set(rows.map(key));
  const all = [...rows];
  for (const page of rest) {
    if (page.error) return { data: null, error: page.error, status: page.status };
    for (const row of page.data ?? []) {
      const id = key(row);
      if (!seen.has(id)) {
        seen.add(id);
        all.push(row);
      }
    }
  }
  return { data: all, error: null };
}
