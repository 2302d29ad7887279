// The stack's own lifecycle: migrations recorded like the CLI, a persisted PGlite that survives a
// restart without re-applying migrations or seed, a data directory from other migrations refused
// untouched, the offline-sweep scheduler, a clean stop().
import { createRequire } from 'node:module';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { SWEEP_JOB_NAME } from '@agent-status/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { startStack } from '@agent-status/stack';
import { apiKeys, clients, createUser, databases, startTestStack } from '../support/stack.ts';

const quiet = () => {};
const MIGRATIONS_DIR = new URL('../../supabase/migrations/', import.meta.url);
const BOOTSTRAP = createRequire(import.meta.url).resolve('@agent-status/stack/supabase-bootstrap.sql');

describe('persisted PGlite', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps data across restarts, applying migrations and seed only once', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'stack-pglite-'));
    dirs.push(parent);
    // As in a fresh clone, where .data/ does not exist yet.
    const dataDir = path.join(parent, 'not-yet', 'pglite');
    const first = await startStack({ port: 0, dataDir, log: quiet });
    const { rows: migrations } = await first.db.query<{ version: string; name: string; statements: string[] }>(
      'select version, name, statements from supabase_migrations.schema_migrations order by version',
    );
    // Every file of supabase/migrations, recorded as the CLI records it (the baseline's first file first).
    expect(migrations[0]).toMatchObject({ version: '20261127000100', name: 'types_and_helpers' });
    expect(migrations.map((m) => `${m.version}_${m.name}.sql`)).toEqual(
      (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort(),
    );
    expect(migrations.flatMap((m) => m.statements).length).toBeGreaterThan(40);
    await clients(first).service.from('agent_status').delete().eq('agent_name', 'Example Agent');
    await first.stop();

    const lines: string[] = [];
    const second = await startStack({ port: 0, dataDir, log: (line) => lines.push(line) });
    try {
      expect(lines.filter((l) => l.includes('applied'))).toEqual([]);
      const { data } = await clients(second).service.from('agent_status').select('agent_name');
      expect(data!.map((r) => r.agent_name)).not.toContain('Example Agent');
      expect(data).toHaveLength(5);
    } finally {
      await second.stop();
    }
  });

  it('keeps its JWT signing key next to the data directory (0600): a session signed before a restart is still valid after it', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'stack-pglite-'));
    dirs.push(parent);
    const dataDir = path.join(parent, 'pglite');
    const first = await startStack({ port: 0, dataDir, log: quiet });
    let accessToken: string;
    let kid: string;
    try {
      await createUser(first, { email: 'stays@example.com', password: 'stays-password', role: 'viewer' });
      const signedIn = await clients(first).signIn('stays@example.com', 'stays-password');
      accessToken = (await signedIn.auth.getSession()).data.session!.access_token;
      kid = first.keys.sessionKid;
    } finally {
      await first.stop();
    }
    expect((await stat(`${dataDir}.signing-key.json`)).mode & 0o777).toBe(0o600);
    const second = await startStack({ port: 0, dataDir, log: quiet });
    try {
      expect(second.keys.sessionKid).toBe(kid);
      const jwks = await (await fetch(`${second.url}/auth/v1/.well-known/jwks.json`)).json();
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);
      const read = await fetch(`${second.url}/rest/v1/agent_status?select=agent_name`, {
        headers: { apikey: apiKeys(second).publishable, authorization: `Bearer ${accessToken}` },
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toHaveLength(6);
    } finally {
      await second.stop();
    }
  });

  it('refuses a data directory made by the old, pre-baseline migrations, says how to reset it, and changes nothing', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'stack-pglite-'));
    dirs.push(parent);
    const dataDir = path.join(parent, 'pglite');
    // What the migrations before the baseline left: their four versions and their tables.
    const old = await PGlite.create(dataDir);
    await old.exec(await readFile(BOOTSTRAP, 'utf8'));
    await old.exec(`create table public.agent_status (id uuid primary key, agent_name text unique not null);
      insert into public.agent_status values (gen_random_uuid(), 'Kept Agent');
      insert into supabase_migrations.schema_migrations (version, name) values
        ('20261124000100', 'agent_status'), ('20261124000200', 'tokens'), ('20261124000300', 'events'), ('20261124000400', 'sweep')`);
    await old.close();

    const refusal = startStack({ port: 0, dataDir, log: quiet });
    await expect(refusal).rejects.toThrow(
      `The data directory ${dataDir} was made by migrations that are not in supabase/migrations`,
    );
    await expect(refusal).rejects.toThrow('versions 20261124000100, 20261124000200, 20261124000300, 20261124000400');
    await expect(refusal).rejects.toThrow(
      `To start afresh: delete it (rm -rf '${dataDir}'), or set STACK_DATA_DIR to a new path.`,
    );
    await expect(refusal).rejects.toThrow('Its data is not migrated automatically');

    const after = await PGlite.create(dataDir);
    try {
      const { rows: history } = await after.query<{ version: string }>(
        'select version from supabase_migrations.schema_migrations order by version',
      );
      expect(history.map((r) => r.version)).toEqual([
        '20261124000100',
        '20261124000200',
        '20261124000300',
        '20261124000400',
      ]);
      const { rows: tables } = await after.query<{ name: string }>(
        `select tablename as name from pg_tables where schemaname = 'public'`,
      );
      expect(tables).toEqual([{ name: 'agent_status' }]);
      const { rows: agents } = await after.query<{ agent_name: string }>('select agent_name from public.agent_status');
      expect(agents).toEqual([{ agent_name: 'Kept Agent' }]);
    } finally {
      await after.close();
    }
  });
});

describe.each(databases)('stack lifecycle on $name', ({ databaseUrl }) => {
  it('sweeps silent agents offline on schedule, and stop() frees the port', async () => {
    const stack = await startTestStack({ databaseUrl, cronIntervalOverrides: { [SWEEP_JOB_NAME]: 200 } });
    await stack.db.query(
      `update public.agent_status set status = 'running', health = 100, last_heartbeat = now() - interval '1 hour'
        where agent_name = 'Blog Generator'`,
    );
    const { service } = clients(stack);
    let offline = false;
    for (let i = 0; i < 50 && !offline; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { data } = await service.from('agent_status').select('offline').eq('agent_name', 'Blog Generator').single();
      offline = data!.offline;
    }
    expect(offline).toBe(true);
    const { data: events } = await service.from('agent_events').select('kind, message').eq('kind', 'offline');
    expect(events).toHaveLength(1);
    await stack.stop();
    await expect(fetch(`${stack.url}/rest/v1/agent_status`)).rejects.toThrow();
    await stack.stop(); // twice is fine
  });
});
