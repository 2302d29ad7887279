// asRole sends the claims as the parameters of a prepared prelude that travels with BEGIN (one round trip
// less per request): they must read back byte for byte, whatever a token carries, and transactions must
// keep their meaning.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { asRole } from '../../src/db/as-role.ts';
import type { Db } from '../../src/types.ts';

const HOSTILE = `it's "quoted" \\ back\\\\slash '; drop table t; -- \n newline ünïcödé 🚀 $$ dollar $1`;

const databases: { name: string; open: () => Promise<Db> }[] = [
  { name: 'pglite', open: () => openPglite() },
  ...(process.env.TEST_DATABASE_URL
    ? [{ name: 'postgres', open: () => openPostgres(process.env.TEST_DATABASE_URL!) }]
    : []),
];

describe.each(databases)('asRole and transactions on $name', ({ open }) => {
  let db: Db;
  // A real table (not a temporary one): a pool's sessions must all see it.
  const probe = `as_role_probe_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  beforeAll(async () => {
    db = await open();
    // The project's own bootstrap: roles are cluster-wide, so on a shared PostgreSQL a role created
    // any other way (service_role without BYPASSRLS, say) would be what every later stack finds.
    await db.query(await readFile(new URL('../../sql/supabase-bootstrap.sql', import.meta.url), 'utf8'));
    await db.query(`create table ${probe} (n int)`);
  });
  afterAll(async () => {
    await db?.query(`drop table if exists ${probe}`);
    await db?.close();
  });

  it('switches role and exposes the claims exactly, hostile text included', async () => {
    const claims = { role: 'authenticated', sub: HOSTILE, email: 'x@example.com', user_metadata: { note: HOSTILE } };
    const row = await asRole(db, claims, async (tx) => {
      const { rows } = await tx.query<{ who: string; claims: string; sub: string; role: string }>(
        `select current_user::text as who, current_setting('request.jwt.claims', true) as claims,
                current_setting('request.jwt.claim.sub', true) as sub, current_setting('request.jwt.claim.role', true) as role`,
      );
      return rows[0];
    });
    expect(row.who).toBe('authenticated');
    expect(JSON.parse(row.claims)).toEqual(claims);
    expect(row.sub).toBe(HOSTILE);
    expect(row.role).toBe('authenticated');
  });

  it('leaves nothing behind: role and claims end with the transaction', async () => {
    await asRole(db, { role: 'anon' }, async (tx) => tx.query('select 1'));
    const { rows } = await db.query<{ who: string; claims: string | null }>(
      `select current_user::text as who, nullif(current_setting('request.jwt.claims', true), '') as claims`,
    );
    expect(rows[0].who).not.toBe('anon');
    expect(rows[0].claims).toBeNull();
  });

  it('rolls back everything when the work fails, and commits when it succeeds', async () => {
    const count = async () => (await db.query<{ n: number }>(`select count(*)::int as n from ${probe}`)).rows[0].n;
    const before = await count();
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into ${probe} values (1)`);
        await tx.query(`insert into ${probe} values ($1)`, [2]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await count()).toBe(before);
    await db.transaction(async (tx) => {
      await tx.query(`insert into ${probe} values ($1)`, [3]); // first statement with parameters: BEGIN goes alone
      await tx.query(`insert into ${probe} values (4)`);
    });
    expect(await count()).toBe(before + 2);
  });

  it('rolls back when the first statement itself fails', async () => {
    await expect(db.transaction((tx) => tx.query('select 1/0'))).rejects.toThrow(/division by zero/);
    const { rows } = await db.query<{ ok: number }>('select 1 as ok');
    expect(rows[0].ok).toBe(1);
  });

  it('a single-statement transaction commits with its statement, as the role, with the claims', async () => {
    const count = async () => (await db.query<{ n: number }>(`select count(*)::int as n from ${probe}`)).rows[0].n;
    const before = await count();
    await db.query(`grant insert, select on ${probe} to anon`);
    const row = await asRole(
      db,
      { role: 'anon', sub: HOSTILE },
      (tx) =>
        tx.query<{ who: string; sub: string }>(
          `insert into ${probe} values ($1) returning current_user::text as who, current_setting('request.jwt.claim.sub', true) as sub`,
          [5],
        ),
      { single: true },
    );
    expect(row.rows).toEqual([{ who: 'anon', sub: HOSTILE }]);
    expect(await count()).toBe(before + 1);
    const { rows } = await db.query<{ who: string; claims: string | null }>(
      `select current_user::text as who, nullif(current_setting('request.jwt.claims', true), '') as claims`,
    );
    expect(rows[0].who).not.toBe('anon');
    expect(rows[0].claims).toBeNull();
  });

  it('a single-statement transaction whose statement fails changes nothing and leaves no transaction open', async () => {
    const count = async () => (await db.query<{ n: number }>(`select count(*)::int as n from ${probe}`)).rows[0].n;
    const before = await count();
    await expect(
      asRole(
        db,
        { role: 'service_role' },
        (tx) => tx.query(`insert into ${probe} select $1::int union all select 1/0`, [6]),
        { single: true },
      ),
    ).rejects.toThrow(/division by zero/);
    await expect(
      db.transaction((tx) => tx.query(`insert into ${probe} values (1/0)`), { single: true }),
    ).rejects.toThrow(/division by zero/);
    expect(await count()).toBe(before);
    // a new transaction starts cleanly (none was left open or aborted)
    await db.transaction(async (tx) => {
      await tx.query(`insert into ${probe} values ($1)`, [7]);
    });
    expect(await count()).toBe(before + 1);
  });

  it('a single-statement transaction refuses a second statement', async () => {
    await expect(
      db.transaction(
        async (tx) => {
          await tx.query('select $1::int', [1]);
          await tx.query('select 2');
        },
        { single: true },
      ),
    ).rejects.toThrow(/single-statement/);
  });

  it('prepares statements with parameters again after a change of their result type', async () => {
    const table = `${probe}_shape`;
    await db.query(`create table ${table} (a int)`);
    try {
      const select = `select * from ${table} where $1::int = 1`;
      expect((await db.query(select, [1])).rows).toEqual([]);
      await db.query(`insert into ${table} values (1)`);
      expect((await db.query(select, [1])).rows).toEqual([{ a: 1 }]);
      await db.query(`alter table ${table} add column b int`);
      // One use after the change may fail (Postgres: "cached plan must not change result type", as with
      // PostgREST's prepared statements), on whichever pooled session planned it; then it is prepared anew.
      const failures: string[] = [];
      for (let i = 0; i < 24; i++) {
        const attempt = i % 2 ? db.query(select, [1]) : db.transaction((tx) => tx.query(select, [1]));
        const rows = await attempt.then(
          (r) => r.rows,
          (error: { code?: string }) => void failures.push(error.code ?? String(error)),
        );
        if (rows) expect(rows).toEqual([{ a: 1, b: null }]);
      }
      expect(failures.length).toBeLessThanOrEqual(1);
      expect(failures.every((code) => code === '0A000')).toBe(true);
    } finally {
      await db.query(`drop table ${table}`);
    }
  });

  it('runs a transaction that sends nothing', async () => {
    await expect(db.transaction(async () => 'nothing')).resolves.toBe('nothing');
  });

  it('refuses a role that is not an API role, before touching the database', async () => {
    await expect(asRole(db, { role: 'postgres' }, async () => 'x')).rejects.toThrow(/not an API role/);
  });
});
