// migrate(): the bootstrap, then each migration once, recorded like the Supabase CLI, seed on a fresh
// database; and a database made by migrations that are not in the folder is refused untouched.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeLocation } from '../../src/db/location.ts';
import { migrate, UnknownMigrationsError } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { Db } from '../../src/types.ts';

let root: string;
let db: Db;
const migrations = () => path.join(root, 'supabase', 'migrations');
const versions = async () =>
  (
    await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version')
  ).rows.map((r) => r.version);
const exists = async (name: string) =>
  (await db.query<{ found: boolean }>('select to_regclass($1) is not null as found', [name])).rows[0].found;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'stack-migrate-'));
  await mkdir(migrations(), { recursive: true });
  await writeFile(
    path.join(migrations(), '20260101000100_first.sql'),
    'create table public.first (id int primary key);',
  );
  await writeFile(path.join(root, 'supabase', 'seed.sql'), 'insert into public.first values (1);');
  db = await openPglite();
});

afterAll(async () => {
  await db?.close();
  await rm(root, { recursive: true, force: true });
});

describe('migrate', () => {
  it('applies each migration once, records it as the CLI does, and seeds a fresh database', async () => {
    expect(await migrate(db, root)).toEqual({ applied: ['20260101000100_first.sql'], seeded: true });
    expect(await migrate(db, root)).toEqual({ applied: [], seeded: false });
    expect(await versions()).toEqual(['20260101000100']);
    expect((await db.query('select id from public.first')).rows).toEqual([{ id: 1 }]);
  });

  it('refuses a database that records versions no file has, and applies nothing to it', async () => {
    // As a data directory made by migrations that were since replaced (e.g. consolidated into a baseline).
    await db.query(
      `insert into supabase_migrations.schema_migrations (version, name) values ('20250101000100', 'old_schema')`,
    );
    await writeFile(path.join(migrations(), '20260101000200_second.sql'), 'create table public.second (id int);');
    // Something the bootstrap would put back if it ran.
    await db.query('drop function cron.unschedule(bigint)');
    const location = describeLocation({ dataDir: '/data/pglite' });

    const refusal = migrate(db, root, { location });
    await expect(refusal).rejects.toThrow(UnknownMigrationsError);
    await expect(refusal).rejects.toThrow(
      /The data directory \/data\/pglite was made by migrations that are not in supabase\/migrations \(versions 20250101000100;/,
    );
    await expect(refusal).rejects.toThrow(
      /Nothing was applied to it\. To start afresh: delete it \(rm -rf '\/data\/pglite'\), or set STACK_DATA_DIR to a new path\./,
    );
    await expect(refusal).rejects.toThrow(/not migrated automatically; to keep it, move it aside/);

    expect(await exists('public.second')).toBe(false);
    expect(await versions()).toEqual(['20250101000100', '20260101000100']);
    expect((await db.query(`select to_regprocedure('cron.unschedule(bigint)') as fn`)).rows).toEqual([{ fn: null }]);
  });
});

describe('describeLocation', () => {
  it('names a Postgres without its credentials', () => {
    const location = describeLocation({ databaseUrl: 'postgres://app:s3cret@db.example:5432/app' });
    expect(location.name).toBe('The database postgres://db.example:5432/app (DATABASE_URL)');
    expect(JSON.stringify(location)).not.toContain('s3cret');
  });
});
