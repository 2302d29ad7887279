import type { Db } from '../types.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** A real Postgres when a URL is given, else PGlite (in memory, or persisted in dataDir). */
export function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}
