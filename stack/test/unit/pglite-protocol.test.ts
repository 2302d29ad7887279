// The PGlite driver writes each statement's protocol messages into one call and prepares statements
// with parameters once. These tests hold it to what PGlite's own query() promises, and to the
// bookkeeping of its prepared statements.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PREPARED_STATEMENTS, pipelined, type PipelinedRun } from '../../src/db/pglite-protocol.ts';

let pg: PGlite;
let run: PipelinedRun;
const preparedCount = async () =>
  Number((await pg.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements')).rows[0].n);

beforeAll(async () => {
  pg = await PGlite.create();
  run = pipelined(pg);
  await pg.exec('create table items (id int primary key, name text, tags text[], seen timestamptz)');
});
afterAll(() => pg.close());

describe('pipelined PGlite statements', () => {
  it('returns typed rows and affected rows, with and without parameters', async () => {
    expect(await run('insert into items (id, name) values ($1, $2), ($3, $4)', [1, 'one', 2, 'two'])).toMatchObject({
      affectedRows: 2,
    });
    expect((await run<{ id: number; name: string }>('select id, name from items where id = $1', [2])).rows).toEqual([
      { id: 2, name: 'two' },
    ]);
    expect((await run<{ n: number }>('select count(*)::int as n from items')).rows).toEqual([{ n: 2 }]);
    expect((await run<{ ok: boolean }>('select $1::boolean as ok, $2::bigint as big', [true, 10n])).rows).toEqual([
      { ok: true, big: 10 },
    ]);
  });

  it('runs the prefix first, in the same transaction as the statement', async () => {
    const { rows } = await run<{ claims: string }>(
      "select current_setting('request.jwt.claims', true) as claims where $1::int = 1",
      [1],
      'begin; select set_config(\'request.jwt.claims\', \'{"role":"anon"}\', true)',
    );
    expect(rows).toEqual([{ claims: '{"role":"anon"}' }]);
    await run('commit');
    expect(
      (await run<{ claims: string | null }>("select nullif(current_setting('request.jwt.claims', true), '') as claims"))
        .rows,
    ).toEqual([{ claims: null }]);
  });

  it('runs steps with parameters first (prepared once), and a suffix even after a failure', async () => {
    const before = await preparedCount();
    const steps = (claims: string) => [
      { sql: 'begin' },
      { sql: "select set_config('request.jwt.claims', $1, true)", params: [claims] },
    ];
    for (let i = 0; i < 3; i++) {
      const { rows } = await run<{ claims: string }>(
        "select current_setting('request.jwt.claims', true) as claims where $1::int = 3 and true",
        [3],
        steps(`{"n":${i}}`),
        'commit',
      );
      expect(rows).toEqual([{ claims: `{"n":${i}}` }]);
    }
    expect(await preparedCount()).toBe(before + 2);
    // The statement fails: the suffix (COMMIT) still ends the transaction, which rolls back.
    await expect(
      run('insert into items (name, id) values ($2, $1)', [1, 'dup'], steps('{}'), 'commit'),
    ).rejects.toMatchObject({ code: '23505' });
    // A step fails: its error is the one thrown, and nothing stays open.
    await expect(
      run('select $1::int', [1], [{ sql: 'begin' }, { sql: 'select 1 / $1::int', params: [0] }], 'commit'),
    ).rejects.toMatchObject({ code: '22012' });
    expect(
      (await run<{ claims: string | null }>("select nullif(current_setting('request.jwt.claims', true), '') as claims"))
        .rows,
    ).toEqual([{ claims: null }]);
    await expect(run('begin')).resolves.toBeDefined(); // would warn, not fail, inside a transaction; and ends cleanly:
    await run('commit');
  });

  it('prepares a statement once and binds it by name afterwards', async () => {
    const before = await preparedCount();
    for (let i = 0; i < 5; i++) await run('select name from items where id = $1 and $2::int >= 0', [1, i]);
    expect(await preparedCount()).toBe(before + 1);
  });

  it('throws the database error and keeps working, without leaking prepared statements', async () => {
    const before = await preparedCount();
    await expect(run('insert into items (id, name) values ($1, $2)', [1, 'again'])).rejects.toMatchObject({
      code: '23505',
    });
    await expect(run('insert into items (id, name) values ($1, $2)', [1, 'again'])).rejects.toMatchObject({
      code: '23505',
    });
    await expect(run('selec nonsense $1', [1])).rejects.toMatchObject({ code: '42601' });
    expect(await preparedCount()).toBe(before + 1);
    expect((await run('select name from items where id = $1', [1])).rows).toEqual([{ name: 'one' }]);
  });

  it('uses PGlite’s own serializers for arrays and dates', async () => {
    const seen = new Date('2026-01-02T03:04:05.000Z');
    await run('update items set tags = $1, seen = $2 where id = $3', [['a', 'b,c'], seen, 1]);
    expect((await run('select tags, seen from items where id = $1', [1])).rows).toEqual([{ tags: ['a', 'b,c'], seen }]);
  });

  it('prepares again when a table change makes the old plan unusable', async () => {
    const sql = 'select * from items where id = $1';
    expect((await run(sql, [2])).rows).toHaveLength(1);
    await run('alter table items add column extra int');
    await run(sql, [2]).catch((error: { code?: string }) => expect(error.code).toBe('0A000'));
    expect((await run<Record<string, unknown>>(sql, [2])).rows[0]).toHaveProperty('extra', null);
  });

  it(`keeps at most ${MAX_PREPARED_STATEMENTS} prepared statements, closing the least recently used`, async () => {
    for (let i = 0; i < MAX_PREPARED_STATEMENTS + 20; i++) await run(`select $1::int + ${i} as n`, [i]);
    expect(await preparedCount()).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS + 1);
    expect((await run<{ n: number }>('select $1::int + 0 as n', [5])).rows).toEqual([{ n: 5 }]);
  });
});
