// the registry migration gives `last_activity` back its seed meaning (the TEXT of what
// the agent last did; its time moves to `last_activity_at`) on a database that already holds data: a
// database migrated up to the migration before it, with an agent that has reported and an event whose
// snapshot carries the old names, keeps every value after the migration, under the new names.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'supabase', 'migrations');
const REGISTRY = '20261127001300_registry.sql';
const BOOTSTRAP = createRequire(import.meta.url).resolve('@agent-status/stack/supabase-bootstrap.sql');
const REPORTED_AT = '2026-11-20T10:00:00+00:00';

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(readFileSync(BOOTSTRAP, 'utf8'));
  for (const file of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql') && f < REGISTRY)
    .sort()) {
    await db.exec(readFileSync(join(MIGRATIONS, file), 'utf8'));
  }
  // What an agent left before the migration: its activity text in `activity`, the time in `last_activity`.
  await db.exec(`
    insert into public.agent_status (agent_name, status, health, activity, last_activity)
    values ('Old Agent', 'running', 100, 'collected 14 articles', '${REPORTED_AT}');
    update public.agent_status set status = 'warning' where agent_name = 'Old Agent';
  `);
  await db.exec(readFileSync(join(MIGRATIONS, REGISTRY), 'utf8'));
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('the registry migration on a database with data', () => {
  it('keeps the activity text as last_activity and its time as last_activity_at', async () => {
    const { rows } = await db.query<{ last_activity: string; last_activity_at: Date }>(
      `select last_activity, last_activity_at from public.agent_status where agent_name = 'Old Agent'`,
    );
    expect(rows[0].last_activity).toBe('collected 14 articles');
    expect(rows[0].last_activity_at.toISOString()).toBe(new Date(REPORTED_AT).toISOString());
  });

  it('renames the keys in the snapshots of earlier events too', async () => {
    const { rows } = await db.query<{ snapshot: Record<string, unknown> }>(
      `select e.snapshot from public.agent_events e join public.agent_status s on s.id = e.agent_id where s.agent_name = 'Old Agent'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].snapshot).toMatchObject({ last_activity: 'collected 14 articles', status: 'warning' });
    expect(new Date(String(rows[0].snapshot.last_activity_at)).toISOString()).toBe(new Date(REPORTED_AT).toISOString());
    expect(rows[0].snapshot).not.toHaveProperty('activity');
  });

  it('agent_overview shows the new names and the description', async () => {
    const { rows } = await db.query<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'public' and table_name = 'agent_overview'`,
    );
    const columns = rows.map((r) => r.column_name);
    expect(columns).toEqual(expect.arrayContaining(['last_activity', 'last_activity_at', 'description']));
    expect(columns).not.toContain('activity');
  });
});
