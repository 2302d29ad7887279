// The Python module (agent-sdk/python) against the real stack: real python3 processes, the real
// agent_report path, rows checked with supabase-js, commands sent as an operator through the `agents`
// Edge Function. Each Python process runs in an empty temporary directory (no stray .env) with only
// the variables a test gives it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const PYTHON = process.env.PYTHON ?? 'python3';
const MODULE_PATH = join(REPO_ROOT, 'agent-sdk', 'python');
const DRIVER = join(REPO_ROOT, 'tests', 'support', 'python', 'driver.py');
const WORKER = join(REPO_ROOT, 'tests', 'support', 'python', 'worker.py');
const EXAMPLE = join(REPO_ROOT, 'agents', 'example_agent_with_status.py');
/** The module's DEFAULT_REQUEST_TIMEOUT_SECONDS, and what a call may take on top of it. */
const REQUEST_TIMEOUT_MS = 5_000;

/** The seed's snippet, exactly as the original documentation has people write it. */
const SEED_SNIPPET = `import agent_status_updater as asu
asu.mark_agent_started("Content Collector")
asu.send_heartbeat("Content Collector")
asu.report_warning("Content Collector", "Rate limit approaching", health=75)
asu.report_error("Content Collector", "Failed to fetch tweets", health=30)
asu.mark_agent_stopped("Content Collector")
`;

/** The original documentation's pattern around an agent's own loop: stopped at exit, errors reported. */
const ATEXIT_PATTERN = `import atexit
import agent_status_updater as asu

AGENT_NAME = "Account Manager"
asu.mark_agent_started(AGENT_NAME)
atexit.register(lambda: asu.mark_agent_stopped(AGENT_NAME))

try:
    asu.send_heartbeat(AGENT_NAME)
    raise ConnectionError("account API unreachable")
except Exception as e:
    asu.report_error(AGENT_NAME, str(e))
`;

type Env = Record<string, string>;
const workDirs: string[] = [];

/** An empty working directory, optionally with files (e.g. a .env.local). */
function workDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'asu-'));
  workDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function spawnPython(
  args: string[],
  env: Env,
  cwd = workDir(),
): ChildProcessWithoutNullStreams & { output: () => string } {
  const child = spawn(PYTHON, args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PYTHONPATH: MODULE_PATH,
      PYTHONDONTWRITEBYTECODE: '1',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return Object.assign(child, { output: () => output });
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Runs a script to its end. */
async function runPython(script: string, env: Env) {
  const dir = workDir({ 'script.py': script });
  const child = spawnPython([join(dir, 'script.py')], env, dir);
  const code = await exitCode(child);
  return { code, output: child.output(), pid: child.pid! };
}

type Answer = { result?: unknown; raised?: string; ms: number };

/** A python3 process that makes agent_status_updater calls on request (tests/support/python/driver.py). */
function startDriver(env: Env) {
  const child = spawnPython([DRIVER], env);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const answers: Answer[] = [];
  const waiting: Array<(answer: Answer) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as Answer;
    const next = waiting.shift();
    if (next) next(answer);
    else answers.push(answer);
  });
  return {
    pid: child.pid!,
    /** What the module logged (warnings go to stderr). */
    log: () => stderr,
    call(name: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<Answer> {
      child.stdin.write(`${JSON.stringify({ call: name, args, kwargs })}\n`);
      const ready = answers.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        waiting.push(resolve);
        child.once('exit', () => reject(new Error(`driver exited:\n${stderr}`)));
      });
    },
    async close(): Promise<number | null> {
      child.stdin.end();
      return exitCode(child);
    },
  };
}

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(databases)('the Python module against the stack ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let operator: SupabaseClient;
  const tokens = new Map<string, string>();
  const OPERATOR = { email: 'py-operator@example.com', password: 'py-operator-password', role: 'operator' as const };

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    service = clients(stack).service;
    await createUser(stack, OPERATOR);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
    for (const name of ['Content Collector', 'Tweet Scheduler', 'Engagement Analyzer', 'Example Agent']) {
      const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'python test' });
      if (error) throw new Error(`issue_agent_token failed: ${error.message}`);
      tokens.set(name, data[0].token);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // The original names (SUPABASE_KEY, SUPABASE_ANON_KEY) and, in some tests, the current ones
  // (SUPABASE_PUBLISHABLE_KEY, SUPABASE_SECRET_KEY). The legacy names hold the legacy JWT keys; the others
  // the keys of the stack's model (on a legacy-only stack, the legacy JWTs too).
  const keyIn = (variable: string, kind: 'publishable' | 'secret') =>
    variable === 'SUPABASE_ANON_KEY'
      ? stack.anonKey
      : variable === 'SUPABASE_SERVICE_ROLE_KEY'
        ? stack.serviceRoleKey
        : apiKeys(stack)[kind];
  const trusted = (variable = 'SUPABASE_KEY'): Env => ({
    SUPABASE_URL: stack.url,
    [variable]: keyIn(variable, 'secret'),
  });
  const tokenMode = (name: string, variable = 'SUPABASE_ANON_KEY'): Env => ({
    SUPABASE_URL: stack.url,
    [variable]: keyIn(variable, 'publishable'),
    AGENT_TOKEN: tokens.get(name)!,
  });

  async function row(name: string) {
    const { data, error } = await service.from('agent_overview').select('*').eq('agent_name', name).single();
    if (error) throw new Error(error.message);
    return data as {
      status: string;
      health: number;
      last_heartbeat: string | null;
      last_error: string | null;
      last_warning: string | null;
      last_activity: string | null;
      started_at: string | null;
      pid: number | null;
      host: string | null;
      version: string | null;
      desired_state: string;
      generation: number;
      observed_generation: number;
    };
  }

  /** The agent's history without the commands and registry changes (its token's issue), oldest first (read straight from the database). */
  async function events(name: string) {
    const { rows } = await stack.db.query<{
      kind: string;
      from_status: string;
      to_status: string;
      health: number;
      message: string | null;
    }>(
      `select e.kind, e.from_status, e.to_status, e.health, e.message
         from public.agent_events e join public.agent_status s on s.id = e.agent_id
        where s.agent_name = $1 and e.kind::text not in ('command', 'created', 'updated', 'token_issued', 'token_revoked') order by e.id`,
      [name],
    );
    return rows;
  }

  /** The agent's row itself (the overview adds the server's clock, which moves). */
  async function statusRow(name: string) {
    const { data, error } = await service.from('agent_status').select('*').eq('agent_name', name).single();
    if (error) throw new Error(error.message);
    return data as Record<string, unknown>;
  }

  async function command(cmd: 'start' | 'stop' | 'restart', name: string): Promise<number> {
    const { data, error } = await operator.functions.invoke(`agents/${cmd}`, { body: { agent_name: name } });
    if (error) throw new Error(`agents/${cmd} ${name}: ${error.message}`);
    return (data as { generation: number }).generation;
  }

  it("the seed's snippet runs unchanged in trusted mode (SUPABASE_KEY) and in token mode (SUPABASE_ANON_KEY + AGENT_TOKEN)", async () => {
    const expected = [
      { kind: 'status', from_status: 'stopped', to_status: 'running', health: 100, message: null },
      { kind: 'warning', from_status: 'running', to_status: 'warning', health: 75, message: 'Rate limit approaching' },
      { kind: 'error', from_status: 'warning', to_status: 'error', health: 30, message: 'Failed to fetch tweets' },
      { kind: 'status', from_status: 'error', to_status: 'stopped', health: 0, message: null },
    ];
    const asTrusted = await runPython(SEED_SNIPPET, trusted());
    expect(asTrusted).toMatchObject({ code: 0, output: '' });
    expect(await events('Content Collector')).toEqual(expected);
    expect(await row('Content Collector')).toMatchObject({ status: 'stopped', health: 0, pid: asTrusted.pid });

    const asAgent = await runPython(SEED_SNIPPET, tokenMode('Content Collector'));
    expect(asAgent).toMatchObject({ code: 0, output: '' });
    expect(await events('Content Collector')).toEqual([...expected, ...expected]);
    expect((await row('Content Collector')).pid).toBe(asAgent.pid);
  });

  it("the original's atexit and try/except pattern leaves the error in history and the agent stopped", async () => {
    const result = await runPython(ATEXIT_PATTERN, trusted());
    expect(result).toMatchObject({ code: 0, output: '' });
    expect(await events('Account Manager')).toEqual([
      { kind: 'status', from_status: 'stopped', to_status: 'running', health: 100, message: null },
      { kind: 'error', from_status: 'running', to_status: 'error', health: 30, message: 'account API unreachable' },
      { kind: 'status', from_status: 'error', to_status: 'stopped', health: 0, message: null },
    ]);
  });

  it('every call, in trusted mode (SUPABASE_SECRET_KEY): each changes the row as its name says', async () => {
    const name = 'Blog Generator';
    const driver = startDriver(trusted('SUPABASE_SECRET_KEY'));
    try {
      expect(await driver.call('mark_agent_started', [name])).toMatchObject({ result: true });
      const started = await row(name);
      expect(started).toMatchObject({ status: 'running', health: 100, pid: driver.pid });
      expect(started.host).toBeTruthy();

      expect(await driver.call('send_heartbeat', [name])).toMatchObject({ result: true });
      const beat = await row(name);
      expect(beat.last_heartbeat! > started.last_heartbeat!).toBe(true);
      expect(beat).toMatchObject({ status: 'running', health: 100 });

      expect(await driver.call('report_warning', [name, 'Rate limit approaching'])).toMatchObject({ result: true });
      expect(await row(name)).toMatchObject({ status: 'warning', health: 75, last_warning: 'Rate limit approaching' });

      expect(await driver.call('report_error', [name, 'Failed to fetch tweets'], { health: 20 })).toMatchObject({
        result: true,
      });
      expect(await row(name)).toMatchObject({ status: 'error', health: 20, last_error: 'Failed to fetch tweets' });

      expect(await driver.call('report_recovered', [name])).toMatchObject({ result: true });
      expect(await row(name)).toMatchObject({ status: 'running', health: 100, started_at: started.started_at }); // uptime kept

      expect(await driver.call('report_activity', [name, 'collected 14 articles'])).toMatchObject({ result: true });
      expect(await row(name)).toMatchObject({ status: 'running', last_activity: 'collected 14 articles' });

      expect(await driver.call('report_error', [name, 'x'.repeat(5_000)])).toMatchObject({ result: true });
      expect((await row(name)).last_error).toBe(`${'x'.repeat(2_000 - ' …[truncated]'.length)} …[truncated]`);

      expect(await driver.call('mark_agent_stopped', [name])).toMatchObject({ result: true });
      expect(await row(name)).toMatchObject({ status: 'stopped', health: 0, started_at: null });

      expect(await driver.call('mark_agent_started', ['No Such Agent'])).toMatchObject({ result: false });
      expect(driver.log()).toContain('PT404');
    } finally {
      expect(await driver.close()).toBe(0);
    }
  });

  it('token mode: its own agent yes, another agent refused, a forged token refused, health out of range refused', async () => {
    const own = 'Tweet Scheduler';
    const driver = startDriver(tokenMode(own));
    const forged = startDriver({ ...tokenMode(own), AGENT_TOKEN: `ast_${randomBytes(24).toString('hex')}` });
    try {
      expect(await driver.call('mark_agent_started', [own])).toMatchObject({ result: true });
      const before = await row(own);
      expect(before).toMatchObject({ status: 'running', pid: driver.pid });

      const other = await statusRow('Account Manager');
      expect(await driver.call('report_error', ['Account Manager', 'not mine'])).toMatchObject({ result: false });
      expect(driver.log()).toMatch(/PT403.*belongs to agent "Tweet Scheduler"/);
      expect(await statusRow('Account Manager')).toEqual(other);

      expect(await forged.call('send_heartbeat', [own])).toMatchObject({ result: false });
      expect(await forged.call('report_error', [own, 'forged'])).toMatchObject({ result: false });
      expect(forged.log()).toContain('PT401');
      expect(forged.log().match(/PT401/g)).toHaveLength(1); // logged once per failure kind

      expect(await driver.call('report_warning', [own, 'too healthy'], { health: 150 })).toMatchObject({
        result: false,
      });
      expect(await driver.call('report_error', [own, 'too sick'], { health: -1 })).toMatchObject({ result: false });
      expect(driver.log()).toContain('22023');
      const after = await row(own);
      expect(after).toMatchObject({
        status: 'running',
        health: 100,
        last_heartbeat: before.last_heartbeat,
        last_error: before.last_error,
      });
    } finally {
      expect(await driver.close()).toBe(0);
      expect(await forged.close()).toBe(0);
    }
  });

  it('a missing or contradictory configuration raises ConfigurationError at the first call', async () => {
    const cases: Array<[Env, RegExp]> = [
      [{ SUPABASE_URL: stack.url }, /ConfigurationError: no credentials/],
      [
        { SUPABASE_URL: stack.url, AGENT_TOKEN: tokens.get('Tweet Scheduler')! },
        /ConfigurationError: AGENT_TOKEN is set but SUPABASE_PUBLISHABLE_KEY/,
      ],
      [
        { SUPABASE_URL: stack.url, SUPABASE_KEY: apiKeys(stack).publishable },
        /ConfigurationError: SUPABASE_KEY is the project's publishable/,
      ],
      [
        { SUPABASE_URL: stack.url, SUPABASE_SECRET_KEY: apiKeys(stack).publishable },
        /ConfigurationError: SUPABASE_SECRET_KEY holds the publishable/,
      ],
    ];
    for (const [env, message] of cases) {
      const driver = startDriver(env);
      expect((await driver.call('send_heartbeat', ['Tweet Scheduler'])).raised).toMatch(message);
      expect(await driver.close()).toBe(0);
    }
  });

  it('run_agent obeys start, stop and restart sent through the agents function, and acknowledges each generation', async () => {
    const name = 'Engagement Analyzer';
    const worker = spawnPython([WORKER], {
      ...tokenMode(name, 'SUPABASE_PUBLISHABLE_KEY'),
      AGENT_NAME: name,
      POLL_SECONDS: '0.25',
    });
    const count = (word: 'START' | 'END') => (worker.output().match(new RegExp(`^${word} `, 'gm')) ?? []).length;
    const carriedOut = async (cmd: 'start' | 'stop' | 'restart', status: string) => {
      const t0 = Date.now();
      const generation = await command(cmd, name);
      await eventually(
        () => row(name),
        (r) => r.observed_generation === generation && r.status === status,
        `${cmd} carried out`,
      );
      return Date.now() - t0;
    };
    try {
      await eventually(
        () => row(name),
        (r) => r.pid === worker.pid,
        'the first report',
      );
      expect(count('START')).toBe(0); // seeded stopped: it waits for a start

      expect(await carriedOut('start', 'running')).toBeLessThan(2_000);
      expect(await row(name)).toMatchObject({ version: 'worker-test', desired_state: 'running' });
      expect(count('START')).toBe(1);

      expect(await carriedOut('stop', 'stopped')).toBeLessThan(2_000);
      expect(count('END')).toBe(1);

      await carriedOut('start', 'running');
      expect(await carriedOut('restart', 'running')).toBeLessThan(2_000);
      await new Promise((resolve) => setTimeout(resolve, 750)); // three more polls: no second restart
      expect([count('START'), count('END')]).toEqual([3, 2]);

      worker.kill('SIGTERM');
      expect(await exitCode(worker)).toBe(0);
      expect(await row(name)).toMatchObject({ status: 'stopped', desired_state: 'running' });
      expect(count('END')).toBe(3);
    } catch (error) {
      worker.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n--- worker output ---\n${worker.output()}`);
    }
  });

  it("custom metrics: run_agent's agent.count and agent.metric, a new worker counting on from a reset, and the one-shot metric and count", async () => {
    const name = 'Content Collector';
    const metrics = async () => {
      const { data, error } = await service.rpc('agent_metric_series', { p_agent_name: name, p_minutes: 0 });
      if (error) throw new Error(error.message);
      const list = (data as { metrics: Array<{ metric: string; kind: string; value: number }> }).metrics;
      return Object.fromEntries(list.map((m) => [m.metric, [m.kind, m.value]]));
    };
    const env = {
      ...tokenMode(name, 'SUPABASE_PUBLISHABLE_KEY'),
      AGENT_NAME: name,
      POLL_SECONDS: '0.25',
      METRICS: '1',
    };
    let worker = spawnPython([WORKER], env);
    try {
      await eventually(
        () => row(name),
        (r) => r.pid === worker.pid,
        'the first report',
      );
      const first = await command('start', name);
      await eventually(metrics, (m) => m.starts?.[1] === 1, 'the first start, counted', 10_000);
      await command('restart', name);
      await eventually(
        metrics,
        (m) => m.starts?.[1] === 2 && m.generation?.[1] === first + 1,
        'the restart, counted',
        10_000,
      );
      expect(await metrics()).toEqual({ starts: ['counter', 2], generation: ['gauge', first + 1] });
      worker.kill('SIGTERM');
      expect(await exitCode(worker)).toBe(0);

      // A new worker counts from zero again: the agent's total goes on (a reset, as Prometheus reads it).
      worker = spawnPython([WORKER], env);
      await eventually(metrics, (m) => m.starts?.[1] === 3, "the new worker's first start, added to the total", 10_000);
      worker.kill('SIGTERM');
      expect(await exitCode(worker)).toBe(0);
    } catch (error) {
      worker.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n--- worker output ---\n${worker.output()}`);
    }

    const driver = startDriver(tokenMode(name));
    expect(await driver.call('count', [name, 'starts', 5])).toMatchObject({ result: true });
    expect(await driver.call('metric', [name, 'queue_length', 12.5])).toMatchObject({ result: true });
    expect(await driver.call('metric', [name, 'Queue', 1])).toMatchObject({ result: false });
    expect(await driver.close()).toBe(0);
    expect(driver.log()).toContain('INVALID_METRIC');
    expect(await metrics()).toMatchObject({ starts: ['counter', 8], queue_length: ['gauge', 12.5] });
  });

  it('two run_agent workers for one agent: the newer takes it over, the older stands down and exits 0', async () => {
    const name = 'Tweet Scheduler';
    await command('start', name);
    const env = { ...tokenMode(name, 'SUPABASE_PUBLISHABLE_KEY'), AGENT_NAME: name, POLL_SECONDS: '0.25' };
    const first = spawnPython([WORKER], env);
    let second: ReturnType<typeof spawnPython> | undefined;
    const seen = async () =>
      (await row(name)) as Awaited<ReturnType<typeof row>> & {
        instance_id: string | null;
        duplicate_instance_seen_at: string | null;
      };
    try {
      await eventually(
        () => row(name),
        (r) => r.pid === first.pid && r.status === 'running',
        'the first worker running',
        15_000,
      );
      await eventually(
        async () => first.output(),
        (out) => /^START /m.test(out),
        "the first worker's work started",
      );
      const newer = spawnPython([WORKER], env);
      second = newer;
      await eventually(
        () => row(name),
        (r) => r.pid === newer.pid,
        'the second (newer) worker holds the agent',
        15_000,
      );
      expect(await exitCode(first)).toBe(0);
      expect(first.output()).toMatch(/stands down/);
      expect(first.output()).toMatch(/^END /m); // its work was stopped
      const after = await eventually(
        seen,
        (r) => r.duplicate_instance_seen_at !== null,
        'the row says a second worker was seen',
      );
      expect(after).toMatchObject({ status: 'running', pid: newer.pid });
      newer.kill('SIGTERM');
      expect(await exitCode(newer)).toBe(0);
      expect(await seen()).toMatchObject({ status: 'stopped', instance_id: null }); // a clean exit releases the agent
    } catch (error) {
      first.kill('SIGKILL');
      second?.kill('SIGKILL');
      throw new Error(
        `${(error as Error).message}\n--- first worker ---\n${first.output()}\n--- second worker ---\n${second?.output() ?? ''}`,
      );
    }
  });

  it("the example agent reads .env.local, runs as 'Example Agent', and SIGTERM ends with stopped in the database", async () => {
    const name = 'Example Agent';
    await command('start', name);
    // As `npm start` writes it: the keys and one token per agent, no AGENT_TOKEN.
    const envLocal = [
      `SUPABASE_URL="${stack.url}"`,
      ...(stack.keyModel === 'current'
        ? [`SUPABASE_PUBLISHABLE_KEY="${stack.publishableKey}"`, `SUPABASE_SECRET_KEY="${stack.secretKey}"`]
        : []),
      `SUPABASE_ANON_KEY="${stack.anonKey}"`,
      `SUPABASE_SERVICE_ROLE_KEY="${stack.serviceRoleKey}"`,
      `AGENT_TOKEN_EXAMPLE_AGENT="${tokens.get(name)}"`,
    ].join('\n');
    const agent = spawnPython(
      [EXAMPLE],
      { AGENT_SIM_SPEED: '20', AGENT_POLL_INTERVAL_MS: '250' },
      workDir({ '.env.local': envLocal }),
    );
    try {
      await eventually(
        () => row(name),
        (r) => r.pid === agent.pid && r.status !== 'stopped',
        'the example agent running',
        15_000,
      );
      expect(await row(name)).toMatchObject({ version: '0.1.0 (python)' });
      expect(agent.output()).toContain('with its own token');
      agent.kill('SIGTERM');
      expect(await exitCode(agent)).toBe(0);
      expect(await row(name)).toMatchObject({ status: 'stopped', pid: agent.pid });
    } catch (error) {
      agent.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n--- example output ---\n${agent.output()}`);
    }
  });
});

describe('the Python module with the backend down', () => {
  const calls: Array<[string, unknown[]]> = [
    ['mark_agent_started', ['Content Collector']],
    ['send_heartbeat', ['Content Collector']],
    ['report_warning', ['Content Collector', 'Rate limit approaching']],
    ['report_error', ['Content Collector', 'Failed to fetch tweets']],
    ['report_recovered', ['Content Collector']],
    ['report_activity', ['Content Collector', 'collecting']],
    ['mark_agent_stopped', ['Content Collector']],
  ];
  const KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

  it('nothing listening: every call returns False at once, nothing is raised, the failure is logged once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const driver = startDriver({ SUPABASE_URL: `http://127.0.0.1:${port}`, SUPABASE_KEY: KEY });
    for (const [name, args] of calls) {
      const answer = await driver.call(name, args);
      expect(answer).toMatchObject({ result: false });
      expect(answer.raised).toBeUndefined();
      expect(answer.ms).toBeLessThan(1_000);
    }
    expect(await driver.close()).toBe(0);
    expect(driver.log().match(/NETWORK/g)).toHaveLength(1);
  });

  it('a backend that accepts connections and never answers: False within the request timeout', async () => {
    const sockets: Socket[] = [];
    const blackHole: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const { port } = blackHole.address() as { port: number };
    const driver = startDriver({ SUPABASE_URL: `http://127.0.0.1:${port}`, SUPABASE_KEY: KEY });
    try {
      const answer = await driver.call('send_heartbeat', ['Content Collector']);
      expect(answer).toMatchObject({ result: false });
      expect(answer.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(answer.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
      expect(driver.log()).toContain('TIMEOUT');
    } finally {
      expect(await driver.close()).toBe(0);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });
});
