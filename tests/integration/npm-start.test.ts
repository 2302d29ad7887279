// `npm start` as a person runs it: the whole system in one command (stack on a persisted PGlite,
// demo users, agent tokens in .env.local, dashboard, the six example agents), commanded through the
// agents function with the printed demo login, and stopped with Ctrl-C (SIGINT).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { parse } from 'dotenv';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { AGENT_NAMES } from '@agent-status/agents/catalog';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const AGENTS = [...AGENT_NAMES].sort();
const POLL_MS = 500;

let dir: string;
let child: ChildProcess;
let output = '';
let env: Record<string, string>;
let operator: SupabaseClient;

const overview = async () => {
  const { data, error } = await operator.from('agent_overview').select('agent_name, status, offline, pending').order('agent_name');
  if (error) throw new Error(error.message);
  return data as { agent_name: string; status: string; offline: boolean; pending: boolean }[];
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npm-start-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'start/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      STACK_PORT: '0',
      DASHBOARD_PORT: '0',
      STACK_DATA_DIR: join(dir, 'pglite'),
      ENV_FILE: join(dir, '.env.local'),
      AGENT_HEARTBEAT_INTERVAL_MS: '1000',
      AGENT_POLL_INTERVAL_MS: String(POLL_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(async () => output, (text) => text.includes('Ctrl-C stops the agents') || child.exitCode !== null, 'npm start to come up', 150_000);
  if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
  env = parse(await readFile(join(dir, '.env.local'), 'utf8'));
  operator = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('writes .env.local with the keys, the demo logins and one token per agent, and serves the dashboard', async () => {
    for (const name of AGENTS) expect(env[`AGENT_TOKEN_${name.toUpperCase().replace(/ /g, '_')}`]).toMatch(/^ast_/);
    expect(output).toContain(env.DEMO_OPERATOR_EMAIL);
    const page = await fetch(env.DASHBOARD_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${env.SUPABASE_URL}`);
  });

  it('signs in with the printed demo login and shows all six agents running and reporting', async () => {
    const { error } = await operator.auth.signInWithPassword({ email: env.DEMO_OPERATOR_EMAIL, password: env.DEMO_OPERATOR_PASSWORD });
    expect(error).toBeNull();
    const rows = await eventually(overview, (r) => r.length === 6 && r.every((a) => a.status !== 'stopped' && !a.offline && !a.pending), 'six working agents', 15_000);
    expect(rows.map((r) => r.agent_name)).toEqual(AGENTS);
  });

  it('stops and starts an agent through the agents function within two poll intervals', async () => {
    for (const [command, done] of [['stop', (s: string) => s === 'stopped'], ['start', (s: string) => s !== 'stopped']] as const) {
      const started = Date.now();
      const { error } = await operator.functions.invoke(`agents/${command}`, { body: { agent_name: 'Content Collector' } });
      expect(error).toBeNull();
      await eventually(overview, (r) => r.some((a) => a.agent_name === 'Content Collector' && done(a.status) && !a.pending), `${command} carried out`, 5_000);
      expect(Date.now() - started).toBeLessThanOrEqual(2 * POLL_MS);
    }
  });

  it('Ctrl-C: every agent reports stopped, then everything exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // The stack is down; its persisted database tells what the agents reported last.
    const db = await PGlite.create(join(dir, 'pglite'));
    try {
      const { rows } = await db.query<{ agent_name: string; status: string }>('select agent_name, status from public.agent_status order by agent_name');
      expect(rows).toEqual(AGENTS.map((agent_name) => ({ agent_name, status: 'stopped' })));
    } finally {
      await db.close();
    }
  }, 30_000);
});
