// `npm start` as a person runs it: the whole system in one command (stack on a persisted PGlite,
// demo users, agent tokens in .env.local, dashboard, the six example agents), commanded through the
// agents function with the printed demo login, and stopped with Ctrl-C (SIGINT) — once with the current
// keys and once as a project still on legacy keys (STACK_KEY_MODEL=legacy), each from an environment
// with no Supabase key in it, and each with an agent run from nothing but SUPABASE_URL, the public key
// and its AGENT_TOKEN, whose report a signed-in dashboard sees over Realtime; and an assistant's MCP
// client (`agent-status mcp` with the demo logins) listing its tools, the viewer refused on stop_agents, and
// the operator restarting an example agent that acknowledges.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { parse } from 'dotenv';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { npmStartArgs } from '../support/npm-start-command.ts';
import { CLI_BIN, connectMcp, errorOf, textOf } from '../support/mcp.ts';
import { AGENT_NAMES } from '@agent-status/agents/catalog';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const AGENTS = [...AGENT_NAMES].sort();
const POLL_MS = 500;
const MCP_TOOLS = [
  'agent_logs',
  'availability',
  'fleet_activity',
  'get_agent',
  'list_agents',
  'restart_agents',
  'start_agents',
  'stop_agents',
].sort();
const run = promisify(execFile);

/** What a person with the given key model has: the URL, the public key under that model's name, nothing else. */
const MODES = [
  {
    model: 'current',
    publicKey: 'SUPABASE_PUBLISHABLE_KEY',
    absent: ['SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY'],
  },
  { model: 'legacy', publicKey: 'SUPABASE_ANON_KEY', absent: ['SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_SECRET_KEY'] },
] as const;

/** The test runner's environment without anything that names a Supabase project or key. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(SUPABASE_|VITE_SUPABASE_|AGENT_TOKEN|STACK_|JWT_SECRET$|DATABASE_URL$|ENV_FILE$)/.test(name))
      delete env[name];
  }
  return env;
}

describe.each(MODES)('npm start ($model keys)', ({ model, publicKey, absent }) => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let env: Record<string, string>;
  let operator: SupabaseClient;

  const overview = async () => {
    const { data, error } = await operator
      .from('agent_overview')
      .select('agent_name, status, offline, pending')
      .order('agent_name');
    if (error) throw new Error(error.message);
    return data as { agent_name: string; status: string; offline: boolean; pending: boolean }[];
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npm-start-'));
    child = spawn(process.execPath, npmStartArgs(), {
      cwd: REPO_ROOT,
      env: {
        ...cleanEnvironment(),
        ...(model === 'legacy' ? { STACK_KEY_MODEL: 'legacy' } : {}),
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
    await eventually(
      async () => output,
      (text) => text.includes('Ctrl-C stops the agents') || child.exitCode !== null,
      'npm start to come up',
      150_000,
    );
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    env = parse(await readFile(join(dir, '.env.local'), 'utf8'));
    operator = createClient(env.SUPABASE_URL, env[publicKey], {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never },
    });
  }, 180_000);

  afterAll(async () => {
    await operator?.removeAllChannels();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes .env.local with the keys, the demo logins and one token per agent, and serves the dashboard', async () => {
    for (const name of AGENTS) expect(env[`AGENT_TOKEN_${name.toUpperCase().replace(/ /g, '_')}`]).toMatch(/^ast_/);
    expect(output).toContain(env.DEMO_OPERATOR_EMAIL);
    const page = await fetch(env.DASHBOARD_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${env.SUPABASE_URL}`);
  });

  it(`names the keys of the ${model} model in .env.local, labels the legacy ones, and builds the dashboard with the public key only`, async () => {
    const text = await readFile(join(dir, '.env.local'), 'utf8');
    if (model === 'current') {
      expect(env.SUPABASE_PUBLISHABLE_KEY).toMatch(/^sb_publishable_/);
      expect(env.SUPABASE_SECRET_KEY).toMatch(/^sb_secret_/);
      expect(text).toMatch(/# Deprecated: the legacy JWT keys[^\n]*\nSUPABASE_ANON_KEY=/);
    } else {
      for (const name of absent) expect(env[name], name).toBeUndefined();
      expect(text).toMatch(/# Legacy JWT keys only[^\n]*\nSUPABASE_ANON_KEY=/);
    }
    const html = await (await fetch(env.DASHBOARD_URL)).text();
    const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => new URL(m[1], env.DASHBOARD_URL).href);
    const bundle = (await Promise.all(scripts.map(async (src) => (await fetch(src)).text()))).join('\n');
    expect(bundle).toContain(env[publicKey]);
    for (const secret of [env.SUPABASE_SERVICE_ROLE_KEY, env.SUPABASE_SECRET_KEY].filter(Boolean))
      expect(bundle).not.toContain(secret);
  });

  it('agent-status doctor, run beside the .env.local it wrote, passes every check', async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const cli = spawn(process.execPath, [join(REPO_ROOT, 'cli', 'bin', 'agent-status.js'), 'doctor', '--json'], {
        cwd: dir,
        env: { ...cleanEnvironment(), HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      cli.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      cli.on('close', (code) => resolve({ code, stdout }));
    });
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.filter((c) => c.detail.startsWith('skipped'))).toEqual([]);
    expect(report.checks.length).toBeGreaterThanOrEqual(13);
    expect(result.code).toBe(0);
  }, 120_000);

  it('signs in with the printed demo login and shows all six agents running and reporting', async () => {
    const { error } = await operator.auth.signInWithPassword({
      email: env.DEMO_OPERATOR_EMAIL,
      password: env.DEMO_OPERATOR_PASSWORD,
    });
    expect(error).toBeNull();
    const rows = await eventually(
      overview,
      (r) => r.length === 6 && r.every((a) => a.status !== 'stopped' && !a.offline && !a.pending),
      'six working agents',
      15_000,
    );
    expect(rows.map((r) => r.agent_name)).toEqual(AGENTS);
  });

  it('stops and starts an agent through the agents function within two poll intervals', async () => {
    for (const [command, done] of [
      ['stop', (s: string) => s === 'stopped'],
      ['start', (s: string) => s !== 'stopped'],
    ] as const) {
      const { error } = await operator.functions.invoke(`agents/${command}`, {
        body: { agent_name: 'Content Collector' },
      });
      expect(error).toBeNull();
      // From the command's acceptance: under npm start the agents function's process starts with its
      // first request (a cold start, as on hosted Supabase), which is not the agent's obedience.
      const started = Date.now();
      await eventually(
        overview,
        (r) => r.some((a) => a.agent_name === 'Content Collector' && done(a.status) && !a.pending),
        `${command} carried out`,
        5_000,
      );
      expect(Date.now() - started).toBeLessThanOrEqual(2 * POLL_MS);
    }
  });

  it(`an agent given only SUPABASE_URL, ${publicKey} and AGENT_TOKEN reports, and the signed-in dashboard sees it over Realtime`, async () => {
    const message = `reported with ${publicKey} alone ${randomUUID()}`;
    const seen: string[] = [];
    const channel = operator
      .channel('npm-start-events')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'agent_events' }, (change) =>
        seen.push(String(change.new.message)),
      );
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) => {
        if (status === 'SUBSCRIBED') resolve();
        else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(new Error(`Realtime: ${status}`));
      }),
    );
    const agentEnv = {
      PATH: process.env.PATH,
      SUPABASE_URL: env.SUPABASE_URL,
      [publicKey]: env[publicKey],
      AGENT_TOKEN: env.AGENT_TOKEN_BLOG_GENERATOR,
      AGENT_MESSAGE: message,
    };
    // Run from an empty folder: no .env or .env.local there to fill in anything else.
    const script = `import { reportWarning } from ${JSON.stringify(import.meta.resolve('@agent-status/agent-sdk'))};
      const result = await reportWarning('Blog Generator', process.env.AGENT_MESSAGE);
      console.log(JSON.stringify(result)); process.exit(result.ok ? 0 : 1);`;
    const agent = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: agentEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let agentOutput = '';
    agent.stdout!.on('data', (chunk: Buffer) => (agentOutput += chunk));
    agent.stderr!.on('data', (chunk: Buffer) => (agentOutput += chunk));
    const code = await new Promise<number | null>((resolve) => agent.once('exit', resolve));
    expect(code, agentOutput).toBe(0);
    await eventually(
      async () => seen,
      (messages) => messages.includes(message),
      'the warning event over Realtime',
      10_000,
    );
    await operator.removeChannel(channel);
  });

  /**
   * `agent-status login` as a person in the folder npm start wrote .env.local to (the CLI finds the project
   * there), with a config folder of its own, then `agent-status mcp` on that session.
   */
  const signedInMcp = async (configDir: string, email: string, password: string, role: RegExp) => {
    const home = { dir, env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_CONFIG_HOME: join(dir, configDir) } };
    const login = await run(process.execPath, [CLI_BIN, 'login', '--email', email, '--password', password], {
      cwd: dir,
      env: home.env,
    });
    expect(login.stdout).toMatch(role);
    return connectMcp(home);
  };

  it("an assistant's MCP client (agent-status mcp, signed in with the demo login) reads the fleet and restarts an example agent, acknowledged by its worker", async () => {
    const mcp = await signedInMcp('config', env.DEMO_OPERATOR_EMAIL, env.DEMO_OPERATOR_PASSWORD, /\(operator\)/);
    try {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(MCP_TOOLS);
      const listed = (await mcp.call('list_agents')).structuredContent as { agents: { name: string; state: string }[] };
      expect(listed.agents.map((agent) => agent.name)).toEqual(AGENTS);
      const restarted = await mcp.call('restart_agents', { names: ['Tweet Scheduler'], wait_seconds: 30 });
      expect(restarted.isError, textOf(restarted)).toBeFalsy();
      expect(restarted.structuredContent).toMatchObject({
        command: 'restart',
        requested_by: env.DEMO_OPERATOR_EMAIL,
        pending: [],
        agents: [{ name: 'Tweet Scheduler', desired_state: 'running', acknowledged: true }],
      });
    } finally {
      await mcp.close();
    }
  });

  it("the demo viewer's MCP client reads the fleet and is refused on stop_agents; nothing changes", async () => {
    const mcp = await signedInMcp('viewer-config', env.DEMO_VIEWER_EMAIL, env.DEMO_VIEWER_PASSWORD, /\(viewer\)/);
    try {
      const listed = (await mcp.call('list_agents')).structuredContent as { agents: { name: string }[] };
      expect(listed.agents.map((agent) => agent.name)).toEqual(AGENTS);
      const before = await overview();
      const refused = await mcp.call('stop_agents', { names: ['Blog Generator'] });
      expect(refused.isError).toBe(true);
      expect(errorOf(refused)).toMatchObject({ code: 'forbidden', status: 403 });
      expect((await overview()).map(({ agent_name, pending }) => ({ agent_name, pending }))).toEqual(
        before.map(({ agent_name, pending }) => ({ agent_name, pending })),
      );
    } finally {
      await mcp.close();
    }
  });

  it('Ctrl-C: every agent reports stopped, then everything exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // The stack is down; its persisted database tells what the agents reported last.
    const db = await PGlite.create(join(dir, 'pglite'));
    try {
      const { rows } = await db.query<{ agent_name: string; status: string }>(
        'select agent_name, status from public.agent_status order by agent_name',
      );
      expect(rows).toEqual(AGENTS.map((agent_name) => ({ agent_name, status: 'stopped' })));
    } finally {
      await db.close();
    }
  }, 30_000);
});
