import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../types.ts';
import { splitSql } from './split-sql.ts';

export interface MigrateResult {
  applied: string[];
  seeded: boolean;
}

const MIGRATION_FILE = /^(\d+)_(.+)\.sql$/;

/**
 * What `supabase db reset` / `db push` do, in-process: the bootstrap (roles, auth schema — what
 * hosted Supabase has before any migration), then each new migration in filename order, recorded
 * in supabase_migrations.schema_migrations like the CLI, then seed.sql once, on a fresh database.
 */
export async function migrate(db: Db, rootDir: string, log: (line: string) => void = () => {}): Promise<MigrateResult> {
  await db.query(await readFile(path.join(rootDir, 'stack/sql/supabase-bootstrap.sql'), 'utf8'));
  const done = new Set(
    (await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map(
      (r) => r.version,
    ),
  );
  const fresh = done.size === 0;
  const dir = path.join(rootDir, 'supabase/migrations');
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    const [, version, name] = MIGRATION_FILE.exec(file)!;
    if (done.has(version)) continue;
    const sql = await readFile(path.join(dir, file), 'utf8');
    try {
      await db.transaction(async (tx) => {
        await tx.query(sql);
        await tx.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
          version,
          name,
          splitSql(sql),
        ]);
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
