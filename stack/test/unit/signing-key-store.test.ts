import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite.ts';
import { loadOrCreateSigningJwk, signingKeyFile, signingKeyHome } from '../../src/keys/signing-key-store.ts';
import { createKeys } from '../../src/keys/index.ts';
import type { Db } from '../../src/types.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'signing-key-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = () => undefined;

describe('where the JWT signing key lives', () => {
  it('PGlite with a data directory: a 0600 file next to it, created once and then reused', async () => {
    const dataDir = path.join(dir, 'pglite');
    const home = signingKeyHome({ dataDir }, {} as Db);
    expect(home).toEqual({ kind: 'file', path: `${dataDir}.signing-key.json` });
    const lines: string[] = [];
    const first = await loadOrCreateSigningJwk(home, (line) => lines.push(line));
    expect(lines).toEqual([expect.stringContaining(`created the JWT signing key ${first.kid}`)]);
    const file = signingKeyFile(dataDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ keys: [first] });
    expect(first).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', d: expect.any(String) });
    const second = await loadOrCreateSigningJwk(home, quiet);
    expect(second).toEqual(first);
  });

  it('a key file that became readable by others is made 0600 again', async () => {
    const dataDir = path.join(dir, 'loose');
    const home = signingKeyHome({ dataDir }, {} as Db);
    const jwk = await loadOrCreateSigningJwk(home, quiet);
    await chmod(signingKeyFile(dataDir), 0o644);
    const lines: string[] = [];
    expect(await loadOrCreateSigningJwk(home, (line) => lines.push(line))).toEqual(jwk);
    expect((await stat(signingKeyFile(dataDir))).mode & 0o777).toBe(0o600);
    expect(lines[0]).toMatch(/0600/);
  });

  it('a key file without a key is an error that says what to do', async () => {
    const file = path.join(dir, 'empty.signing-key.json');
    await writeFile(file, '{"keys":[]}', { mode: 0o600 });
    await expect(loadOrCreateSigningJwk({ kind: 'file', path: file }, quiet)).rejects.toThrow(/delete it/);
  });

  it('in-memory PGlite: a fresh key in memory each time', async () => {
    const home = signingKeyHome({}, {} as Db);
    expect(home).toEqual({ kind: 'memory' });
    const [a, b] = await Promise.all([loadOrCreateSigningJwk(home, quiet), loadOrCreateSigningJwk(home, quiet)]);
    expect(a.kid).not.toBe(b.kid);
  });

  it("DATABASE_URL: one key in _stack.jwt_signing_key, shared by every stack on that database, out of the API roles' reach", async () => {
    const db = await openPglite();
    try {
      await db.query('create role anon nologin');
      await db.query('create role service_role nologin bypassrls');
      const home = signingKeyHome({ databaseUrl: 'postgres://x' }, db);
      expect(home.kind).toBe('database');
      const [a, b] = await Promise.all([loadOrCreateSigningJwk(home, quiet), loadOrCreateSigningJwk(home, quiet)]);
      expect(b).toEqual(a);
      expect(await loadOrCreateSigningJwk(home, quiet)).toEqual(a);
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from _stack.jwt_signing_key');
      expect(rows[0].n).toBe(1);
      const { rows: privileges } = await db.query<{ usable: boolean }>(
        `select has_schema_privilege('service_role', '_stack', 'USAGE') or has_schema_privilege('anon', '_stack', 'USAGE') as usable`,
      );
      expect(privileges[0].usable).toBe(false);
      const keys = await createKeys({ signingJwk: a });
      expect(keys.sessionKid).toBe(a.kid);
    } finally {
      await db.close();
    }
  });
});
