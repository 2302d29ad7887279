// Where the signing key lives: with the data, so that sessions survive a restart exactly as long as the
// data does.
// - PGlite with a data directory: a file next to it, `<dataDir>.signing-key.json`, mode 0600.
// - PGlite in memory: in memory (the data goes with the process, so do the sessions).
// - DATABASE_URL: in that database, table _stack.jwt_signing_key, readable only by the stack's own
//   database user (no API role can reach the schema). There is no data directory to put a file next
//   to, and stacks that share one database must sign with one key.
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import type { Queryable } from '../types.ts';
import { generateSigningJwk } from './signing-key.ts';

export type SigningKeyHome = { kind: 'memory' } | { kind: 'file'; path: string } | { kind: 'database'; db: Queryable };

export function signingKeyHome(opts: { databaseUrl?: string; dataDir?: string }, db: Queryable): SigningKeyHome {
  if (opts.databaseUrl) return { kind: 'database', db };
  if (opts.dataDir) return { kind: 'file', path: signingKeyFile(opts.dataDir) };
  return { kind: 'memory' };
}

export function signingKeyFile(dataDir: string): string {
  return `${path.resolve(dataDir)}.signing-key.json`;
}

/** The stored private JWK, created (and stored) on first start. */
export async function loadOrCreateSigningJwk(home: SigningKeyHome, log: (line: string) => void): Promise<JWK> {
  if (home.kind === 'memory') return generateSigningJwk();
  if (home.kind === 'database') return fromDatabase(home.db, log);
  return fromFile(home.path, log);
}

async function fromFile(file: string, log: (line: string) => void): Promise<JWK> {
  const existing = await readKeyFile(file);
  if (existing) {
    // Copied around with a looser mode: the private key is readable by its owner only.
    if (((await stat(file)).mode & 0o077) !== 0) {
      await chmod(file, 0o600);
      log(`${file} was readable by others; its mode is now 0600`);
    }
    return existing;
  }
  const jwk = await generateSigningJwk();
  await mkdir(path.dirname(file), { recursive: true });
  try {
    // 'wx': two stacks starting on one data directory must not each write a key.
    await writeFile(file, `${JSON.stringify({ keys: [jwk] }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readKeyFile(file))!;
  }
  log(`created the JWT signing key ${jwk.kid} in ${file}`);
  return jwk;
}

async function readKeyFile(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = (JSON.parse(text) as { keys?: JWK[] }).keys?.[0];
  if (!key)
    throw new Error(`${file} holds no signing key; delete it and the stack makes a new one (users sign in again)`);
  return key;
}

async function fromDatabase(db: Queryable, log: (line: string) => void): Promise<JWK> {
  await db.query(`create schema if not exists _stack`);
  await db.query(`revoke all on schema _stack from public`);
  // One row (id is always true): stacks that start together on one database agree on one key.
  await db.query(`create table if not exists _stack.jwt_signing_key (
    id boolean primary key default true check (id), jwk jsonb not null, created_at timestamptz not null default now())`);
  const stored = async () => (await db.query<{ jwk: JWK }>(`select jwk from _stack.jwt_signing_key`)).rows[0]?.jwk;
  const existing = await stored();
  if (existing) return existing;
  const jwk = await generateSigningJwk();
  await db.query(`insert into _stack.jwt_signing_key (jwk) values ($1::jsonb) on conflict do nothing`, [
    JSON.stringify(jwk),
  ]);
  const chosen = (await stored())!;
  if (chosen.kid === jwk.kid) log(`created the JWT signing key ${jwk.kid} in _stack.jwt_signing_key`);
  return chosen;
}
