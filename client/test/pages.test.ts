import { describe, expect, it } from 'vitest';
import { readAllPages, type RangeRead } from '../src/fleet/pages.ts';

type Row = { id: string };
const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: `a${String(i).padStart(5, '0')}` }));

/** A server that answers at most `maxRows` per request and the exact count when asked, as PostgREST does. */
function server(all: Row[], maxRows: number, calls: [number, number][] = []): RangeRead<Row> {
  return async (from, to, withCount) => {
    calls.push([from, to]);
    const data = all.slice(from, Math.min(to + 1, from + maxRows));
    return { data, error: null, count: withCount ? all.length : null };
  };
}

describe('readAllPages', () => {
  it('reads past max_rows: 2,345 rows in pages of 1,000', async () => {
    const calls: [number, number][] = [];
    const result = await readAllPages(server(rows(2345), 1000, calls), (r) => r.id);
    expect(result.data).toEqual(rows(2345));
    expect(calls).toEqual([
      [0, 999],
      [1000, 1999],
      [2000, 2999],
    ]);
  });

  it('follows a server whose max_rows is smaller than the page asked for', async () => {
    const result = await readAllPages(server(rows(1050), 100), (r) => r.id);
    expect(result.data).toHaveLength(1050);
  });

  it('one request when everything fits, and an empty fleet is fine', async () => {
    const calls: [number, number][] = [];
    expect((await readAllPages(server(rows(6), 1000, calls), (r) => r.id)).data).toHaveLength(6);
    expect(calls).toHaveLength(1);
    expect((await readAllPages(server([], 1000), (r) => r.id)).data).toEqual([]);
  });

  it('drops a row that moved onto the next page meanwhile, and passes an error on', async () => {
    const all = rows(1500);
    const shifting: RangeRead<Row> = async (from, _to, _withCount) =>
      from === 0
        ? { data: all.slice(0, 1000), error: null, count: 1500 }
        : { data: all.slice(999, 1500), error: null, count: null };
    expect((await readAllPages(shifting, (r) => r.id)).data).toEqual(all);
    const failing: RangeRead<Row> = async (from) =>
      from === 0 ? { data: rows(1000), error: null, count: 2000 } : { data: null, error: { message: 'boom' } };
    expect(await readAllPages(failing, (r) => r.id)).toEqual({ data: null, error: { message: 'boom' } });
  });
});
