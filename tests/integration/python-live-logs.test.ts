// The Python module's log against the real stack, as the TypeScript SDK's (live-logs.test.ts): a real python3
// run_agent worker whose lines (agent.log, the logging module, print) reach a watching viewer through its
// report answers (Python has no push), nothing while nobody watches, the tail ends within the expiry, and a
// crash keeps the last lines, redacted, with the error event.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../support/eventually.ts';
import { watchLogs, type LogViewer } from '../support/log-viewer.ts';
import { apiKeys, clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const WORKER = join(REPO_ROOT, 'tests', 'support', 'python', 'log_worker.py');
const VIEWER = { email: 'py-logs-viewer@example.com', password: 'py-logs-viewer-password', role: 'viewer' as const };

describe.each(databases)('the Python module live logs on $name', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let viewer: SupabaseClient;
  /** The same viewer signed in again: one supabase-js client holds one channel per topic. */
  let listening: SupabaseClient;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();
  let workers: Array<ChildProcessWithoutNullStreams & { output: () => string }> = [];
  let viewers: LogViewer[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    service = clients(stack).service;
    await createUser(stack, VIEWER);
    viewer = await clients(stack).signIn(VIEWER.email, VIEWER.password);
    listening = await clients(stack).signIn(VIEWER.email, VIEWER.password);
    for (const name of ['Content Collector', 'Blog Generator', 'Tweet Scheduler']) {
      const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'py logs test' });
      if (error) throw new Error(error.message);
      tokens.set(name, data[0].token);
      ids.set(name, (await service.from('agent_status').select('id').eq('agent_name', name).single()).data!.id);
      await service.rpc('command_agents', { p_command: 'start', p_agent_name: name });
    }
  });
  afterEach(async () => {
    await Promise.all(viewers.map((v) => v.stop()));
    viewers = [];
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('exit', r)) : null)));
    workers = [];
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function pythonWorker(name: string) {
    const child = spawn(process.env.PYTHON ?? 'python3', [WORKER], {
      cwd: mkdtempSync(join(tmpdir(), 'asu-logs-')),
      env: {
        PATH: process.env.PATH ?? '',
        PYTHONPATH: join(REPO_ROOT, 'agent-sdk', 'python'),
        PYTHONDONTWRITEBYTECODE: '1',
        SUPABASE_URL: stack.url,
        SUPABASE_PUBLISHABLE_KEY: apiKeys(stack).publishable,
        AGENT_TOKEN: tokens.get(name)!,
        AGENT_NAME: name,
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const worker = Object.assign(child, { output: () => output });
    workers.push(worker);
    await eventually(
      async () => output,
      (o) => o.includes('READY'),
      `${name}'s Python work to run`,
      20_000,
    );
    return { worker, send: (command: string) => child.stdin.write(`${command}\n`) };
  }

  it('agent.log, the logging module and print reach a watching viewer; nothing is sent while nobody watches', async () => {
    const { send } = await pythonWorker('Content Collector');
    const listener = await watchLogs(listening, ids.get('Content Collector')!, { watch: false });
    viewers.push(listener);
    send('LOG before anyone watched');
    send('PY through logging with token=abc123');
    send('PRINT printed');
    await sleep(3_000);
    expect(listener.batches).toEqual([]); // nobody watches: not one message

    const v = await watchLogs(viewer, ids.get('Content Collector')!);
    viewers.push(v);
    await eventually(async () => v.batches.some((b) => b.backlog_end), Boolean, 'the backlog, through a report answer');
    // READY is the work's own print (stdout is captured too).
    expect(v.texts()).toEqual(['READY', 'before anyone watched', 'through logging with token=[redacted]', 'printed']);
    expect(v.lines()[1]).toMatchObject({ seq: 2, level: 'info', fields: { source: 'agent.log' } });
    expect(v.lines()[2].fields).toMatchObject({ logger: 'app' });

    send('WARN live line');
    await eventually(
      async () => v.texts(),
      (t) => t.includes('live line'),
      'a live line',
    );
    expect(v.lines().at(-1)).toMatchObject({ level: 'warn', text: 'live line' });
  });

  it('the tail stops within the expiry after the last watcher leaves', async () => {
    const { send } = await pythonWorker('Blog Generator');
    const listener = await watchLogs(viewer, ids.get('Blog Generator')!, { watch: false });
    viewers.push(listener);
    let logging = true;
    const ticker = (async () => {
      for (let i = 0; logging; i++) {
        send(`LOG tick ${i}`);
        await sleep(200);
      }
    })();
    try {
      const watched = await viewer.rpc('watch_agent_logs', { p_agent_id: ids.get('Blog Generator')!, p_seconds: 5 });
      expect(watched.error).toBeNull();
      const watchedAt = Date.now();
      await eventually(
        async () => listener.texts().length,
        (n) => n > 5,
        'lines while watched',
      );
      await sleep(Math.max(0, watchedAt + 5_000 + 1_500 - Date.now()));
      const after = listener.batches.length;
      await sleep(5_000);
      expect(listener.batches.length).toBe(after);
    } finally {
      logging = false;
      await ticker;
    }
  });

  it('a crash keeps the last lines before it, redacted, with the error event', async () => {
    const { send, worker } = await pythonWorker('Tweet Scheduler');
    send('LOG scheduling 3 tweets');
    send('PY api answered 429 for password=hunter2');
    send('CRASH rate limited');
    await eventually(
      async () => worker.exitCode,
      (code) => code !== null,
      'the worker to exit',
      20_000,
    );
    const { data } = await service
      .from('agent_events')
      .select('message, log_lines')
      .eq('agent_id', ids.get('Tweet Scheduler')!)
      .eq('kind', 'error')
      .order('id', { ascending: false })
      .limit(1);
    const lines = data![0].log_lines as Array<{ level: string; text: string }>;
    expect(data![0].message).toBe('RuntimeError: rate limited');
    expect(lines.map((l) => [l.level, l.text.split('\n')[0]])).toEqual([
      ['info', 'READY'],
      ['info', 'scheduling 3 tweets'],
      ['info', 'api answered 429 for password=[redacted]'],
      ['error', 'work crashed: Traceback (most recent call last):'],
    ]);
    expect(lines.at(-1)?.text).toMatch(/RuntimeError: rate limited$/);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });
});
