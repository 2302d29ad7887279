import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capRows, loadMaxRows, maxRowsFromToml } from '../../src/rest/max-rows.ts';
import { parseQuery } from '../../src/rest/parse-query.ts';
import { ROOT_DIR } from '../../src/config.ts';

describe('[api] max_rows (PostgREST db-max-rows)', () => {
  it('reads max_rows from the [api] table only', () => {
    expect(maxRowsFromToml('[api]\nenabled = true\nmax_rows = 1000 # the cap\n[db]\nmax_rows = 5\n')).toBe(1000);
    expect(maxRowsFromToml('[db]\nmax_rows = 5\n')).toBeUndefined();
    expect(maxRowsFromToml('[api]\nmax_rows = 0\n')).toBeUndefined();
  });

  it("is the project config.toml's 1000", async () => {
    expect(await loadMaxRows(ROOT_DIR)).toBe(1000);
  });

  it('is absent without a config.toml', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'max-rows-'));
    try {
      expect(await loadMaxRows(dir)).toBeUndefined();
      await mkdir(path.join(dir, 'supabase'));
      await writeFile(path.join(dir, 'supabase', 'config.toml'), '[api]\nmax_rows = 50\n');
      expect(await loadMaxRows(dir)).toBe(50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('caps a request without a limit, and a larger limit, but keeps a smaller one and the offset', () => {
    const none = parseQuery(new URLSearchParams('select=*'));
    capRows(none, 1000);
    expect(none.limit).toBe(1000);
    const larger = parseQuery(new URLSearchParams('limit=5000&offset=2000'));
    capRows(larger, 1000);
    expect([larger.limit, larger.offset]).toEqual([1000, 2000]);
    const smaller = parseQuery(new URLSearchParams('limit=10'));
    capRows(smaller, 1000);
    expect(smaller.limit).toBe(10);
    const uncapped = parseQuery(new URLSearchParams(''));
    capRows(uncapped, undefined);
    expect(uncapped.limit).toBeUndefined();
  });
});
