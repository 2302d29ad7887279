import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db, Queryable } from '../types.ts';
import { describeLocation, type DatabaseLocation } from './location.ts';
import { splitSql } from './split-sql.ts';

export interface MigrateResult {
  applied: string[];
  seeded: boolean;
}

const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;
const BOOTSTRAP = new URL('../../sql/supabase-bootstrap.sql', import.meta.url);

/**
 * The database records migrations that supabase/migrations does not have (what the Supabase CLI
 * calls "remote migration versions not found in local migrations directory"): it was made by other
 * migrations, e.g. before they were consolidated. Applying the current ones on top would leave a
 * half-made schema, so nothing is applied and the user is told how to start afresh or keep the data.
 */
export class UnknownMigrationsError extends Error {
  constructor(
    readonly versions: string[],
    location: DatabaseLocation,
  ) {
    super(
      `${location.name} was made by migrations that are not in supabase/migrations ` +
        `(versions ${versions.join(', ')}; the Supabase CLI calls them "remote migration versions not found in local migrations directory"). ` +
        `Nothing was applied to it. To start afresh: ${location.reset}. ` +
        `Its data is not migrated automatically; to keep it, ${location.keep}.`,
    );
    this.name = 'UnknownMigrationsError';
  }
}

/**
 * What `supabase db reset` / `db push` do, in-process: the bootstrap (roles, auth schema — what
 * hosted Supabase has before any migration), then each new migration in filename order, recorded
 * in supabase_migrations.schema_migrations like the CLI, then seed.sql once, on a fresh database.
 * A database that records versions no file has is refused before anything runs (UnknownMigrationsError).
 */
export async function migrate(
  db: Db,
  rootDir: string,
  {
    location = describeLocation({}),
    log = () => {},
  }: { location?: DatabaseLocation; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const dir = path.join(rootDir, 'supabase/migrations');
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  const done = await recordedVersions(db);
  const known = new Set(files.map((file) => MIGRATION_FILE.exec(file)![1]));
  const unknown = [...done].filter((version) => !known.has(version)).sort();
  if (unknown.length > 0) throw new UnknownMigrationsError(unknown, location);

  await db.query(await readFile(BOOTSTRAP, 'utf8'));
  const fresh = done.size === 0;
  const applied: string[] = [];
  for (const file of files) {
    const [, version, name] = MIGRATION_FILE.exec(file)!;
    if (done.has(version)) continue;
    const sql = await readFile(path.join(dir, file), 'utf8');
    try {
      await db.transaction(async (tx) => {
        await tx.query(sql);
        await tx.query(
          'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
          [version, name, splitSql(sql)],
        );
      });
    } catch (error) {
      throw new Error(`migration ${file} failed: ${(error as Error).message}`, { cause: error });
    }
    applied.push(file);
    log(`applied migration ${file}`);
  }
  let seeded = false;
  const seedPath = path.join(rootDir, 'supabase/seed.sql');
  if (fresh && applied.length > 0) {
    const seed = await readFile(seedPath, 'utf8').catch(() => undefined);
    if (seed !== undefined) {
      await db.transaction((tx) => tx.query(seed));
      seeded = true;
      log('applied supabase/seed.sql');
    }
  }
  return { applied, seeded };
}

/** The versions in the CLI's history table; none on a database the bootstrap has not touched yet. */
async function recordedVersions(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ present: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as present`,
  );
  if (!rows[0].present) return new Set();
  const history = await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
  return new Set(history.rows.map((r) => r.version));
}
