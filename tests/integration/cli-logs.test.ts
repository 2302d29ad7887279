// `agent-status logs` and `events --verbose` as operators run them: the built bin in its own process,
// against the real stack, with a real SDK worker that logs. A snapshot prints what the worker's buffer
// holds (redacted) and stops; --follow prints the backlog, then a new line within a second of the worker
// logging it (the median of five), until Ctrl-C; --level filters; an offline agent and a silent worker exit 1; events --verbose prints an
// error's last lines under it.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClient, runAgent, type AgentLog, type AgentRun } from '@agent-status/agent-sdk';
import { cliHome, type CliHome } from '../support/cli.ts';
import { eventually, sleep } from '../support/eventually.ts';
import { apiKeys, clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const VIEWER = { email: 'cli-logs-viewer@example.com', password: 'cli-logs-viewer-password', role: 'viewer' };

let stack: RunningStack;
let service: SupabaseClient;
let viewer: CliHome;
let runs: AgentRun[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  await createUser(stack, VIEWER);
  viewer = cliHome({ SUPABASE_URL: stack.url, ...publicKeyEnv(stack) });
  const login = await viewer.run(['login', '--email', VIEWER.email, '--password', VIEWER.password]);
  expect(login.code).toBe(0);
});

afterEach(async () => {
  await Promise.all(runs.map((run) => run.stop()));
  runs = [];
});

afterAll(async () => {
  viewer?.remove();
  await stack?.stop();
});

async function tokenFor(name: string): Promise<string> {
  const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'cli logs test' });
  if (error) throw new Error(error.message);
  return data[0].token;
}

/** A running SDK worker of `name`; `log` is its agent.log once its work has started. */
async function worker(name: string, work?: Parameters<typeof runAgent>[0]['work']) {
  let log: AgentLog | undefined;
  const run = runAgent({
    name,
    client: createAgentClient({ url: stack.url, anonKey: apiKeys(stack).publishable, token: await tokenFor(name) }),
    heartbeatIntervalMs: 2_000,
    handleSignals: false,
    catchEscapedErrors: false,
    exitProcess: false,
    log: () => undefined,
    logs: { echo: false },
    onError: 'exit',
    work:
      work ??
      (async (signal, agent) => {
        log = agent.log;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      }),
  });
  runs.push(run);
  const { error } = await service.rpc('command_agents', { p_command: 'start', p_agent_name: name });
  if (error) throw new Error(error.message);
  return {
    log: async () => {
      await eventually(async () => log, Boolean, `${name}'s work to run`);
      return log!;
    },
  };
}

describe('agent-status logs', () => {
  it('a snapshot: the lines the worker holds, redacted, oldest first; --level warn keeps warnings and errors', async () => {
    const log = await (await worker('Content Collector')).log();
    log.info('fetched 12 items', { feed: 'a' });
    log.warn('retrying with api_key=sk-live-123');
    log.error('feed b unreachable');

    const json = await viewer.run(['logs', 'Content Collector', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const snapshot = JSON.parse(json.stdout);
    expect(snapshot.agent).toBe('Content Collector');
    expect(snapshot.lines.map((l: { level: string; text: string }) => [l.level, l.text])).toEqual([
      ['info', 'fetched 12 items'],
      ['warn', 'retrying with api_key=[redacted]'],
      ['error', 'feed b unreachable'],
    ]);
    expect(snapshot.lines[0]).toMatchObject({ fields: { feed: 'a' }, seq: 1 });

    const warn = await viewer.run(['logs', 'Content Collector', '--level', 'warn']);
    expect(warn.code).toBe(0);
    expect(warn.stdout).not.toContain('fetched 12 items');
    expect(warn.stdout).toMatch(/warn\s+retrying with api_key=\[redacted\]\n.*error\s+feed b unreachable\n$/);
  });

  it('--follow prints the backlog, then each new line within a second of the worker logging it; Ctrl-C ends it with 0', async () => {
    const log = await (await worker('Tweet Scheduler')).log();
    log.info('queued 3 tweets');
    const follow = viewer.spawn(['logs', 'Tweet Scheduler', '--follow']);
    try {
      await follow.waitFor(/Following Tweet Scheduler/, 'stderr', 60_000);
      await follow.waitFor(/info\s+queued 3 tweets/);
      log.warn('rate limited, waiting', { seconds: 30 });
      await follow.waitFor(/warn\s+rate limited, waiting \{"seconds":30\}/);
      expect(follow.stdout().match(/queued 3 tweets/g)).toHaveLength(1); // the backlog is not printed twice

      const latencies: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const loggedAt = Date.now();
        log.info(`live line ${i}`);
        latencies.push((await follow.waitFor(new RegExp(`info\\s+live line ${i}\n`))) - loggedAt);
        await sleep(700); // past the worker's batch interval: each line is a batch of its own
      }
      latencies.sort((a, b) => a - b);
      console.log(`log line → agent-status logs --follow: ${latencies.join(', ')} ms`);
      expect(latencies[2]).toBeLessThan(1_000); // the median of five
      expect(latencies[4]).toBeLessThan(5_000);
    } finally {
      expect(await follow.interrupt()).toBe(0);
    }
  });

  it('an offline agent, an unknown agent and a worker that never answers exit 1; a bad --level exits 2', async () => {
    const offline = await viewer.run(['logs', 'Engagement Analyzer']);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/Engagement Analyzer is offline — no live logs/);

    const unknown = await viewer.run(['logs', 'No Such Agent', '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error.code).toBe('agent_not_found');

    // Online (it reported) but no SDK worker answers the watch: the snapshot ends after --wait.
    await service.rpc('agent_report', { p_kind: 'heartbeat', p_agent_name: 'Account Manager' });
    const silent = await viewer.run(['logs', 'Account Manager', '--wait', '2']);
    expect(silent.code).toBe(1);
    expect(silent.stderr).toMatch(/did not answer within 2 s/);

    const bad = await viewer.run(['logs', 'Account Manager', '--level', 'debug']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--level must be one of info, warn, error/);
  });
});

describe('agent-status events --verbose', () => {
  it("prints an error's last log lines under it; --json carries them as log_lines", async () => {
    await worker('Blog Generator', async (_signal, agent) => {
      agent.log.info('fetching https://feeds.example/blog');
      agent.log.warn('password=hunter2 rejected');
      throw new Error('feed unreachable');
    });
    const json = await eventually(
      async () => JSON.parse((await viewer.run(['events', 'Blog Generator', '--json'])).stdout),
      (answer: { events: Array<{ kind: string; log_lines: unknown }> }) =>
        answer.events.some((e) => e.kind === 'error' && e.log_lines),
      'the error event with its lines',
      60_000,
      500,
    );
    const error = json.events.find((e) => e.kind === 'error') as { log_lines: Array<{ text: string }> };
    expect(error.log_lines.map((l) => l.text.split('\n')[0])).toEqual([
      'fetching https://feeds.example/blog',
      'password=[redacted] rejected',
      'work crashed: Error: feed unreachable',
    ]);

    const verbose = await viewer.run(['events', 'Blog Generator', '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toMatch(
      /error\s+Error: feed unreachable.*\n\s+last 3 log line\(s\) before it:\n\s+.*info\s+fetching https:\/\/feeds\.example\/blog\n\s+.*warn\s+password=\[redacted\] rejected\n/,
    );
    const plain = await viewer.run(['events', 'Blog Generator']);
    expect(plain.stdout).not.toContain('fetching https://feeds.example/blog');
  });
});
