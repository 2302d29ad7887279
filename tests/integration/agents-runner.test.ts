// The example agents' runner (`npm run agents`, which `npm start` runs) against the real stack:
//   * each agent's process gets an environment built from an allowlist — its own token,
//     never JWT_SECRET, the secret key or another agent's token (read from /proc/<pid>/environ);
//   * an agent process that dies unexpectedly is started again, with backoff, and the
//     runner says so in its log;
//   * when its parent dies (its stdin pipe closes, as it does when `npm start` is
//     killed with SIGKILL) the runner stops every agent — they report stopped — and exits; and killing
//     `npm start` itself with SIGKILL leaves neither the runner nor an agent behind;
//   * under `npm start`, the runner itself gets only the agents' tokens, the URL and the publishable key.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NAMES, builtScript } from '@agent-status/agents/catalog';
import { tokenVariable } from '@agent-status/agents/env-local';
import { eventually } from '../support/eventually.ts';
import { npmStartArgs } from '../support/npm-start-command.ts';
import { alive, commandLine, descendants, environmentOf } from '../support/processes.ts';
import { apiKeys, clients, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** What `npm run agents` runs: the built runner, which starts each agent from its built JavaScript. */
const RUN_ALL = builtScript('run-all.ts');

/** The pids the runner printed ("[<name>] started (pid N)" / "started again (pid N)"), the latest per agent. */
function agentPids(output: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const [, name, pid] of output.matchAll(/^\[(.+?)\] started(?: again)? \(pid (\d+)\)$/gm))
    pids.set(name, Number(pid));
  return pids;
}

describe('the agents runner', () => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let runner: ChildProcess;
  let output = '';
  const tokens: Record<string, string> = {};

  const statuses = async () => {
    const { data, error } = await service.from('agent_status').select('agent_name, status').order('agent_name');
    if (error) throw new Error(error.message);
    return Object.fromEntries(
      (data as Array<{ agent_name: string; status: string }>).map((r) => [r.agent_name, r.status]),
    );
  };

  beforeAll(async () => {
    stack = await startTestStack();
    service = clients(stack).service;
    for (const name of AGENT_NAMES) {
      const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'runner test' });
      if (error) throw new Error(error.message);
      tokens[tokenVariable(name)] = (data as Array<{ token: string }>)[0].token;
    }
    await service.rpc('command_agents', { p_command: 'start' });
    runner = spawn(process.execPath, [RUN_ALL], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LANG: 'C.UTF-8',
        SUPABASE_URL: stack.url,
        ...publicKeyEnv(stack),
        // What `npm start`'s environment may hold and no agent may see.
        SUPABASE_SECRET_KEY: apiKeys(stack).secret,
        JWT_SECRET: 'a-secret-that-mints-service-role-tokens',
        DATABASE_URL: 'postgres://not-for-agents',
        ENV_FILE: join(REPO_ROOT, '.no-env-local-in-tests'),
        AGENT_HEARTBEAT_INTERVAL_MS: '1000',
        AGENT_SIM_SPEED: '5',
        // As `npm start` starts it: stdin is our pipe, and it ends with us.
        AGENT_STATUS_WATCH_PARENT: 'stdin',
        ...tokens,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    runner.stdout!.on('data', (chunk) => (output += chunk));
    runner.stderr!.on('data', (chunk) => (output += chunk));
    await eventually(
      async () => agentPids(output).size,
      (n) => n === AGENT_NAMES.length,
      `six agents started: ${output}`,
      30_000,
    );
    await eventually(statuses, (s) => AGENT_NAMES.every((name) => s[name] !== 'stopped'), 'six agents running', 30_000);
  }, 120_000);

  afterAll(async () => {
    if (runner && runner.exitCode === null) {
      for (const pid of descendants(runner.pid!)) process.kill(pid, 'SIGKILL');
      runner.kill('SIGKILL');
    }
    await stack?.stop();
  });

  it("gives each agent its own token and nothing else of the runner's secrets", () => {
    for (const [name, pid] of agentPids(output)) {
      const env = environmentOf(pid);
      expect(env.AGENT_TOKEN, name).toBe(tokens[tokenVariable(name)]);
      for (const forbidden of [
        'JWT_SECRET',
        'SUPABASE_SECRET_KEY',
        'SUPABASE_SERVICE_ROLE_KEY',
        'DATABASE_URL',
        'ENV_FILE',
      ]) {
        expect(env, `${name}: ${forbidden}`).not.toHaveProperty(forbidden);
      }
      expect(
        Object.keys(env).filter((key) => key.startsWith('AGENT_TOKEN_')),
        name,
      ).toEqual([]);
      expect(env.SUPABASE_URL).toBe(stack.url);
      expect(env.AGENT_SIM_SPEED).toBe('5');
    }
  });

  it('starts an agent again, with a logged backoff, when its process dies unexpectedly', async () => {
    const victim = 'Tweet Scheduler';
    const before = agentPids(output).get(victim)!;
    process.kill(before, 'SIGKILL');
    await eventually(
      async () => output,
      (text) => text.includes(`[${victim}] exited by SIGKILL, unexpectedly; starting it again in 1 s (restart 1)`),
      'the restart announced',
      10_000,
    );
    const after = await eventually(
      async () => agentPids(output).get(victim)!,
      (pid) => pid !== before,
      'a new process',
      15_000,
    );
    expect(output).toContain(`[${victim}] started again (pid ${after})`);
    expect(environmentOf(after).AGENT_TOKEN).toBe(tokens[tokenVariable(victim)]);
    const { data } = await eventually(
      async () => service.from('agent_status').select('pid, status').eq('agent_name', victim).single(),
      ({ data: row }) => row?.pid === after && row.status !== 'stopped',
      `${victim} reporting again from its new process`,
      15_000,
    );
    expect(data).toMatchObject({ pid: after });
  });

  it('when its parent goes away (stdin closes), stops every agent — they report stopped — and exits', async () => {
    const pids = [...agentPids(output).values()];
    const exited = once(runner, 'exit');
    runner.stdin!.destroy();
    const [code] = await Promise.race([
      exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`runner still running: ${output}`)), 20_000)),
    ]);
    expect(code, output).toBe(0);
    expect(output).toContain('the parent process is gone: stopping');
    await eventually(
      async () => pids.filter(alive),
      (left) => left.length === 0,
      'every agent process gone',
      10_000,
    );
    expect(await statuses()).toEqual(Object.fromEntries(AGENT_NAMES.map((name) => [name, 'stopped'])));
  }, 40_000);
});

describe('kill -9 of npm start', () => {
  let dir: string;
  let start: ChildProcess;
  let output = '';
  let leftovers: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npm-start-kill-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(env))
      if (/^(SUPABASE_|VITE_SUPABASE_|AGENT_TOKEN|STACK_|JWT_SECRET$|DATABASE_URL$|ENV_FILE$)/.test(name))
        delete env[name];
    start = spawn(process.execPath, npmStartArgs(), {
      cwd: REPO_ROOT,
      env: {
        ...env,
        STACK_PORT: '0',
        DASHBOARD_PORT: '0',
        STACK_DATA_DIR: join(dir, 'pglite'),
        ENV_FILE: join(dir, '.env.local'),
        AGENT_HEARTBEAT_INTERVAL_MS: '1000',
        // What a user's shell may hold and the agents' runner must not inherit.
        JWT_SECRET: 'a-jwt-secret-of-the-users-own-at-least-32-chars',
        SOME_CLOUD_SECRET: 'not-for-the-runner',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout!.on('data', (chunk) => (output += chunk));
    start.stderr!.on('data', (chunk) => (output += chunk));
    await eventually(
      async () => output,
      (text) => text.includes('Ctrl-C stops the agents') || start.exitCode !== null,
      'npm start to come up',
      150_000,
    );
    if (start.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    // Working, not just spawned: each has its signal handlers and its work running.
    await eventually(
      async () => output.match(/^\[.+?\] work started/gm)?.length ?? 0,
      (n) => n >= AGENT_NAMES.length,
      `six agents working: ${output}`,
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    // Whatever is still alive was started by this test (the stack's function processes are another
    // change's concern): end it here, by pid.
    for (const pid of leftovers.filter(alive)) process.kill(pid, 'SIGKILL');
    if (start && start.exitCode === null && start.signalCode === null) start.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives the agents' runner the agents' tokens, the URL and the publishable key, nothing else of npm start's secrets", () => {
    const runnerPid = descendants(start.pid!).find((pid) => commandLine(pid).includes('run-all'));
    expect(runnerPid).toBeDefined();
    const env = environmentOf(runnerPid!);
    for (const forbidden of [
      'JWT_SECRET',
      'SOME_CLOUD_SECRET',
      'SUPABASE_SECRET_KEY',
      'SUPABASE_SERVICE_ROLE_KEY',
      'DEMO_OPERATOR_PASSWORD',
      'ENV_FILE',
      'STACK_DATA_DIR',
    ]) {
      expect(env, forbidden).not.toHaveProperty(forbidden);
    }
    expect(Object.keys(env).filter((key) => key.startsWith('AGENT_TOKEN_'))).toHaveLength(AGENT_NAMES.length);
    expect(env.SUPABASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.SUPABASE_PUBLISHABLE_KEY).toMatch(/^sb_publishable_/);
  });

  it('leaves neither the agents runner nor an agent process behind', async () => {
    const tree = descendants(start.pid!);
    const runnerPid = tree.find((pid) => commandLine(pid).includes('run-all'));
    const agents = [...agentPids(output).values()];
    expect(runnerPid).toBeDefined();
    expect(agents.every((pid) => tree.includes(pid))).toBe(true);
    leftovers = tree;

    const ours = [runnerPid!, ...agents];
    expect(ours.filter(alive)).toEqual(ours);
    start.kill('SIGKILL');
    const _killedAt = Date.now();
    const left = await eventually(
      async () => ours.filter(alive),
      (pids) => pids.length === 0,
      'the runner and every agent to exit',
      20_000,
    ).catch(() => ours.filter(alive));
    expect(left.map((pid) => `${pid} ${commandLine(pid)}`)).toEqual([]);
  }, 60_000);
});
