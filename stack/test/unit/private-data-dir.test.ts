// another local user read a live refresh token out of a world-readable PGlite data
// directory. The stack makes it private on every start (and tightens what it made on a clean stop).
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStack } from '../../src/stack.ts';
import { signingKeyFile } from '../../src/keys/signing-key-store.ts';

const parent = await mkdtemp(path.join(tmpdir(), 'stack-private-'));
afterAll(() => rm(parent, { recursive: true, force: true }));

/** Every folder and file under dir with the permission bits it has, relative to dir. */
async function modes(dir: string): Promise<Map<string, number>> {
  const found = new Map<string, number>([['.', (await stat(dir)).mode & 0o777]]);
  for (const entry of await readdir(dir, { recursive: true }))
    found.set(entry, (await stat(path.join(dir, entry))).mode & 0o777);
  return found;
}

const loose = (found: Map<string, number>, dirs: Set<string>) =>
  [...found]
    .filter(([entry, mode]) => (dirs.has(entry) ? mode !== 0o700 : (mode & 0o077) !== 0))
    .map(([entry, mode]) => `${entry} ${mode.toString(8)}`);

async function folders(dir: string): Promise<Set<string>> {
  const result = new Set(['.']);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) result.add(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return result;
}

describe('the PGlite data directory', () => {
  it('is 0700 with no group- or world-accessible file while the stack runs and after it stops; loosened modes are tightened on start', async () => {
    const dataDir = path.join(parent, 'pglite');
    const first = await startStack({ port: 0, dataDir, log: () => undefined });
    expect(loose(await modes(dataDir), await folders(dataDir)).filter((e) => e.split(' ')[0] === '.')).toEqual([]);
    await first.stop();
    expect(loose(await modes(dataDir), await folders(dataDir))).toEqual([]);

    // Someone loosens everything (a copy, an unpacked backup, a umask of 000) — the next start fixes it.
    await chmod(dataDir, 0o777);
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
      await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o777 : 0o666);
    }
    await chmod(signingKeyFile(dataDir), 0o644);
    const second = await startStack({ port: 0, dataDir, log: () => undefined });
    try {
      const running = await modes(dataDir);
      expect(running.get('.')).toBe(0o700);
      expect(loose(running, await folders(dataDir))).toEqual([]);
      expect((await stat(signingKeyFile(dataDir))).mode & 0o777).toBe(0o600);
    } finally {
      await second.stop();
    }
    expect(loose(await modes(dataDir), await folders(dataDir))).toEqual([]);
  }, 180_000);

  it('files PGlite creates while it runs are private too, and so is what the stack starts (umask 077)', async () => {
    const dataDir = path.join(parent, 'while-running');
    const stack = await startStack({ port: 0, dataDir, log: () => undefined });
    try {
      expect(loose(await modes(dataDir), await folders(dataDir))).toEqual([]);
      // New relations, a new WAL segment, a checkpoint: files made after the start, under load.
      await stack.db.query('create table public.made_while_running (id int primary key, filler text)');
      await stack.db.query(
        "insert into public.made_while_running select g, repeat('x', 500) from generate_series(1, 20000) g",
      );
      await stack.db.query('create index on public.made_while_running (filler)');
      await stack.db.query('checkpoint');
      const running = await modes(dataDir);
      expect([...running.keys()].some((entry) => entry.endsWith('pg_internal.init'))).toBe(true);
      expect(loose(running, await folders(dataDir))).toEqual([]);
      // The stack's children (Edge Function processes) inherit the umask: a file they create is private.
      const made = path.join(parent, 'made-by-a-child');
      execFileSync('sh', ['-c', `umask; : > "${made}"`]);
      expect((await stat(made)).mode & 0o777).toBe(0o600);
    } finally {
      await stack.stop();
    }
  }, 180_000);

  it('a fresh directory is created private', async () => {
    const dataDir = path.join(parent, 'nested', 'fresh');
    await mkdir(path.dirname(dataDir), { recursive: true });
    await writeFile(path.join(parent, 'nested', 'other.txt'), 'x');
    const stack = await startStack({ port: 0, dataDir, log: () => undefined });
    await stack.stop();
    expect(loose(await modes(dataDir), await folders(dataDir))).toEqual([]);
  }, 180_000);
});
