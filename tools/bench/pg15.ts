// A throw-away PostgreSQL 15 cluster for the rows that need real Postgres (pg_stat_statements), when the
// bench runs on PGlite: scripts/pg15.sh, as the test suite uses it (pg_stat_statements preloaded, fsync off).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/pg15.sh', import.meta.url));

export interface Pg15 {
  url: string;
  stop(): Promise<void>;
}

export async function startPg15(): Promise<Pg15> {
  const { stdout } = await run('bash', [SCRIPT, 'start']);
  const value = (name: string) => stdout.match(new RegExp(`^${name}=(.*)$`, 'm'))?.[1];
  const dir = value('PG15_DIR');
  const url = value('PG15_URL');
  if (!dir || !url) throw new Error(`scripts/pg15.sh start printed no PG15_DIR / PG15_URL:\n${stdout}`);
  return { url, stop: () => run('bash', [SCRIPT, 'stop', dir]).then(() => undefined) };
}
