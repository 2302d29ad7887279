// The `agent-status` CLI as operators run it: the built bin in its own process, a config directory of
// its own, against the real stack (PGlite; the CLI talks only HTTP, so the database makes no difference
// to it). Each command: the operator succeeds, a viewer's stop exits 1 with the function's 403 message,
// --json parses, --wait reports the acknowledgement, --watch shows a change made elsewhere within a
// second; the session file has mode 0600 and is refreshed as needed; bad usage exits 2 with help.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { runAgent, type AgentRun } from '@agent-status/agent-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome, type CliHome } from '../support/cli.ts';
import { apiKeys, clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = { email: 'cli-operator@example.com', password: 'cli-operator-password', role: 'operator' };
const VIEWER = { email: 'cli-viewer@example.com', password: 'cli-viewer-password', role: 'viewer' };
const AGENTS = [
  'Account Manager',
  'Blog Generator',
  'Content Collector',
  'Engagement Analyzer',
  'Example Agent',
  'Tweet Scheduler',
];

let stack: RunningStack;
let service: SupabaseClient;
let operator: CliHome;
let viewer: CliHome;
let worker: AgentRun | undefined;

const sessionFile = (home: CliHome) => join(home.configDir, 'agent-status', 'session.json');
const desired = async (name: string) =>
  (
    await stack.db.query<{ desired_state: string }>(
      'select d.desired_state from public.agent_desired_state d join public.agent_status s on s.id = d.agent_id where s.agent_name = $1',
      [name],
    )
  ).rows[0].desired_state;

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  await createUser(stack, OPERATOR);
  await createUser(stack, VIEWER);
  const project = { SUPABASE_URL: stack.url, ...publicKeyEnv(stack) };
  operator = cliHome(project);
  viewer = cliHome(project);
});

afterAll(async () => {
  await worker?.stop();
  operator?.remove();
  viewer?.remove();
  await stack?.stop();
});

describe('usage', () => {
  it.each([
    [[], /Usage: agent-status <command>/],
    [['frobnicate'], /unknown command "frobnicate"[\s\S]*Usage: agent-status <command>/],
    [['stop'], /missing <name>[\s\S]*Usage: agent-status stop <name>/],
    [['stop', 'a', 'b'], /unexpected argument "b"/],
    [['status', '--bogus'], /Unknown option '--bogus'[\s\S]*Usage: agent-status status/],
    [['events', 'Blog Generator', '--limit', 'zero'], /--limit must be a whole number/],
    [['start', 'Blog Generator', '--wait', '--timeout', 'soon'], /--timeout must be a number of seconds/],
    [['badges'], /badges needs a subcommand[\s\S]*Usage: agent-status badges <issue\|list\|revoke>/],
    [['metrics-tokens', 'revoke', 'not-an-id'], /"not-an-id" is not an id/],
    [['metrics'], /missing <name>[\s\S]*Usage: agent-status metrics <name>/],
    [['metrics', 'Blog Generator', '--minutes', '20000'], /--minutes must be a whole number from 0 to 10080/],
  ])('agent-status %j exits 2 with help', async (args, message) => {
    const result = await operator.run(args as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('--help prints help and exits 0; a missing project configuration is a usage error', async () => {
    const help = await operator.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 success, 1 .*, 2 usage/);
    expect((await operator.run(['stop', '--help'])).stdout).toMatch(/--wait/);
    const unconfigured = await operator.run(['status'], {
      SUPABASE_URL: '',
      SUPABASE_PUBLISHABLE_KEY: '',
      SUPABASE_ANON_KEY: '',
    });
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toMatch(/no Supabase project configured/);
  });
});

describe('session', () => {
  it('login keeps the session in a file of mode 0600 (folder 0700); whoami --json parses', async () => {
    expect((await operator.run(['whoami'])).code).toBe(1);
    const login = await operator.run(['login', '--email', OPERATOR.email, '--password', OPERATOR.password]);
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/Signed in .* as cli-operator@example.com \(operator\)/);
    expect(statSync(sessionFile(operator)).mode & 0o777).toBe(0o600);
    expect(statSync(join(operator.configDir, 'agent-status')).mode & 0o777).toBe(0o700);
    const whoami = await operator.run(['whoami', '--json']);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email: OPERATOR.email, role: 'operator', url: stack.url });
  });

  it('an expired access token is refreshed with the stored refresh token, and the file keeps mode 0600', async () => {
    const file = JSON.parse(readFileSync(sessionFile(operator), 'utf8'));
    const key = Object.keys(file.storage)[0];
    const session = JSON.parse(file.storage[key]);
    session.expires_at = Math.floor(Date.now() / 1000) - 60;
    file.storage[key] = JSON.stringify(session);
    writeFileSync(sessionFile(operator), JSON.stringify(file), { mode: 0o600 });
    const whoami = await operator.run(['whoami', '--json']);
    expect(whoami.code).toBe(0);
    const refreshed = JSON.parse(JSON.parse(readFileSync(sessionFile(operator), 'utf8')).storage[key]);
    // A refresh rotates the refresh token (the access token may be byte-identical within the same second).
    expect(refreshed.refresh_token).not.toBe(session.refresh_token);
    expect(refreshed.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(statSync(sessionFile(operator)).mode & 0o777).toBe(0o600);
  });

  it('finds the project in flags, then SUPABASE_PUBLISHABLE_KEY before SUPABASE_ANON_KEY, then .env.local, then the last login', async () => {
    const status = (extraEnv: Record<string, string>, args: string[] = []) =>
      operator.run(['status', '--json', ...args], extraEnv);
    expect(
      (await status({ SUPABASE_PUBLISHABLE_KEY: apiKeys(stack).publishable, SUPABASE_ANON_KEY: 'not-a-key' })).code,
    ).toBe(0);
    expect((await status({ SUPABASE_PUBLISHABLE_KEY: 'not-a-key' })).code).toBe(1);
    expect(
      (await status({ SUPABASE_PUBLISHABLE_KEY: 'not-a-key' }, ['--publishable-key', apiKeys(stack).publishable])).code,
    ).toBe(0);
    const none = { SUPABASE_URL: '', SUPABASE_PUBLISHABLE_KEY: '', SUPABASE_ANON_KEY: '' };
    expect((await status(none)).code).toBe(0); // the project of the last login
    writeFileSync(join(operator.dir, '.env.local'), `SUPABASE_URL=${stack.url}\nSUPABASE_ANON_KEY=not-a-key\n`);
    try {
      expect((await status(none)).code).toBe(1); // .env.local comes first, and its key is wrong
    } finally {
      rmSync(join(operator.dir, '.env.local'));
    }
  });

  it('login takes AGENT_STATUS_EMAIL / AGENT_STATUS_PASSWORD; a wrong password exits 1', async () => {
    const wrong = await viewer.run(['login'], { AGENT_STATUS_EMAIL: VIEWER.email, AGENT_STATUS_PASSWORD: 'nope' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/sign-in failed/);
    const login = await viewer.run(['login', '--json'], {
      AGENT_STATUS_EMAIL: VIEWER.email,
      AGENT_STATUS_PASSWORD: VIEWER.password,
    });
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toEqual({ email: VIEWER.email, role: 'viewer', url: stack.url });
  });
});

describe('agents', () => {
  it('status prints one line per agent; --json parses', async () => {
    const text = await operator.run(['status']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^NAME\s+STATE\s+HEALTH\s+HEARTBEAT\s+UPTIME\s+DESIRED\s+COMMAND$/m);
    for (const name of AGENTS) expect(text.stdout).toMatch(new RegExp(`^${name}\\s+stopped\\s+0\\s`, 'm'));
    expect(text.stdout).not.toMatch(/\u001b\[/); // no colour off a terminal
    const json = JSON.parse((await viewer.run(['status', '--json'])).stdout);
    expect(json.agents.map((a: { name: string }) => a.name)).toEqual(AGENTS);
    expect(json.agents[0]).toEqual({
      name: 'Account Manager',
      state: 'stopped',
      health: 0,
      last_heartbeat: null,
      heartbeat_age_seconds: null,
      started_at: null,
      uptime_seconds: null,
      desired_state: 'stopped',
      generation: 0,
      observed_generation: 0,
      pending: false,
      last_activity: null,
      last_error: null,
    });
  });

  it("an operator stops an agent; a viewer's stop exits 1 with the 403 message", async () => {
    const started = await operator.run(['start', 'Blog Generator']);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/Start sent to Blog Generator: desired running, generation 1/);
    expect(await desired('Blog Generator')).toBe('running');

    const refused = await viewer.run(['stop', 'Blog Generator']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Only operators can do this.*403/);
    const refusedJson = await viewer.run(['stop', 'Blog Generator', '--json']);
    expect(refusedJson.code).toBe(1);
    expect(JSON.parse(refusedJson.stderr)).toMatchObject({ error: { code: 'forbidden', status: 403 } });
    expect(await desired('Blog Generator')).toBe('running');

    const stopped = await operator.run(['stop', 'Blog Generator', '--json']);
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout)).toEqual({
      command: 'stop',
      agents: [{ name: 'Blog Generator', desired_state: 'stopped', generation: 2, acknowledged_after_seconds: null }],
    });
    const unknown = await operator.run(['restart', 'Nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no agent named "Nobody".*404/);
  });

  it('--wait reports the acknowledgement and how long it took; without a worker it exits 1 after --timeout', async () => {
    const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: 'Content Collector' });
    if (error) throw new Error(error.message);
    worker = runAgent({
      name: 'Content Collector',
      config: { url: stack.url, token: data[0].token, anonKey: apiKeys(stack).publishable },
      work: async (signal) => void (await new Promise((resolve) => signal.addEventListener('abort', resolve))),
      pollIntervalMs: 500,
      heartbeatIntervalMs: 2000,
      handleSignals: false,
      exitProcess: false,
      log: () => undefined,
    });
    const started = await operator.run(['start', 'Content Collector', '--wait', '--timeout', '20']);
    expect(started.stderr).toMatch(/Waiting for Content Collector to acknowledge/);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^Content Collector acknowledged start \(generation 1\) in \d+\.\d+ s\.$/m);

    const restarted = await operator.run(['restart', 'Content Collector', '--wait', '--json']);
    expect(restarted.code).toBe(0);
    const [ack] = JSON.parse(restarted.stdout).agents;
    expect(ack).toMatchObject({ name: 'Content Collector', desired_state: 'running', generation: 2 });
    expect(ack.acknowledged_after_seconds).toBeGreaterThan(0);
    expect(ack.acknowledged_after_seconds).toBeLessThan(20);

    const nobody = await operator.run(['start', 'Tweet Scheduler', '--wait', '--timeout', '1']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/no acknowledgement from "Tweet Scheduler" within 1 s/);
  });

  it('status --watch shows a change made elsewhere within a second, and ends on Ctrl-C', async () => {
    const watch = operator.spawn(['status', '--watch']);
    await watch.waitFor(/Engagement Analyzer\s+stopped/);
    await watch.waitFor(/Watching 6 agents live/, 'stderr');
    const changedAt = Date.now();
    const { error } = await service.rpc('agent_report', {
      p_kind: 'error',
      p_agent_name: 'Engagement Analyzer',
      p_message: 'disk full',
    });
    if (error) throw new Error(error.message);
    const shownAt = await watch.waitFor(/Engagement Analyzer\s+error\s+30\s/);
    expect(shownAt - changedAt).toBeLessThan(1000);
    // A command by someone else: the desired state and the pending command appear too.
    await operator.run(['start', 'Example Agent']);
    await watch.waitFor(/Example Agent\s+stopped\s+0\s+—\s+—\s+running\s+pending/);
    expect(await watch.interrupt()).toBe(0);
  });

  it('events --json parses; events --follow prints a new event as it happens', async () => {
    const json = await operator.run(['events', 'Blog Generator', '--json', '--limit', '5']);
    expect(json.code).toBe(0);
    const history = JSON.parse(json.stdout);
    expect(history.agent).toBe('Blog Generator');
    expect(history.events.map((e: { kind: string; command: string }) => `${e.kind}:${e.command}`)).toEqual([
      'command:start',
      'command:stop',
    ]);
    expect(history.events[0]).toMatchObject({ actor_email: OPERATOR.email, generation: 1 });
    expect((await operator.run(['events', 'Blog Generator'])).stdout).toMatch(
      /command\s+start by cli-operator@example.com → generation 1/,
    );

    const follow = viewer.spawn(['events', 'Blog Generator', '--follow']);
    await follow.waitFor(/Following Blog Generator/, 'stderr');
    expect(follow.stdout()).toMatch(/stop by cli-operator@example.com/);
    await service.rpc('agent_report', { p_kind: 'warning', p_agent_name: 'Blog Generator', p_message: 'rate limited' });
    await follow.waitFor(/warning\s+rate limited \(health 75\)/);
    // A crash loop: the first errors as they come, the rest of the burst as one line.
    for (let i = 1; i <= 5; i++) {
      // The last crash carries the lines its worker logged before it (an SDK worker sends them with an error).
      const logLines =
        i === 5 ? [{ at: new Date().toISOString(), level: 'error', text: 'disk full on /var/data' }] : undefined;
      await service.rpc('agent_report', {
        p_kind: 'error',
        p_agent_name: 'Blog Generator',
        p_message: `crash ${i}`,
        ...(logLines ? { p_info: { log_lines: logLines } } : {}),
      });
    }
    await follow.waitFor(/error\s+… and 3 more \(5 errors\); the latest: crash 5/, 'stdout', 20_000);
    expect(follow.stdout()).toMatch(/error\s+crash 1[\s\S]*error\s+crash 2\b/);
    expect(follow.stdout()).not.toMatch(/crash 3/);
    expect(await follow.interrupt()).toBe(0);
    // The history shows that burst as one line too; --json lists every event.
    expect((await operator.run(['events', 'Blog Generator'])).stdout).toMatch(
      /error\s+5 errors since [-0-9: ]+; the latest: crash 5/,
    );
    // --verbose: still one line for the burst, then the log lines kept with its latest error.
    const verbose = (await operator.run(['events', 'Blog Generator', '--verbose'])).stdout;
    expect(verbose).toMatch(
      /error\s+5 errors since [-0-9: ]+; the latest: crash 5[^\n]*\n\s+last 1 log line\(s\) before it:\n\s+.*disk full on \/var\/data\n/,
    );
    expect(verbose).not.toMatch(/crash 3/);
    const all = JSON.parse((await operator.run(['events', 'Blog Generator', '--json'])).stdout);
    expect(all.events.filter((e: { kind: string }) => e.kind === 'error')).toHaveLength(5);
    // Back to the warning the tests below expect of this agent (its badge).
    await service.rpc('agent_report', { p_kind: 'warning', p_agent_name: 'Blog Generator', p_message: 'rate limited' });
  });

  it('start-all and stop-all (no prompt off a terminal)', async () => {
    const all = await operator.run(['start-all', '--json']);
    expect(all.code).toBe(0);
    expect(
      JSON.parse(all.stdout)
        .agents.map((a: { name: string }) => a.name)
        .sort(),
    ).toEqual(AGENTS);
    expect((await operator.run(['stop-all', '--yes'])).stdout).toMatch(/Stop sent to 6 agents: desired stopped/);
    expect(await desired('Account Manager')).toBe('stopped');
    expect((await viewer.run(['start-all'])).code).toBe(1);
  });
});

describe('metrics tokens, badges and custom metrics', () => {
  it('metrics-tokens issue --json prints { token }, which scrapes; list; revoke makes it 401', async () => {
    const issued = await operator.run(['metrics-tokens', 'issue', '--label', 'prometheus', '--json']);
    expect(issued.code).toBe(0);
    const { token, id } = JSON.parse(issued.stdout);
    expect(token).toMatch(/^asm_[0-9a-f]{64}$/);
    const scrape = () => fetch(`${stack.url}/functions/v1/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await scrape()).status).toBe(200);
    const list = JSON.parse((await operator.run(['metrics-tokens', 'list', '--json'])).stdout);
    expect(list.tokens).toEqual([
      expect.objectContaining({ id, label: 'prometheus', revoked_at: null, created_by_email: OPERATOR.email }),
    ]);
    expect(JSON.stringify(list)).not.toContain(token);
    expect((await viewer.run(['metrics-tokens', 'issue'])).stderr).toMatch(/only operators can issue metrics tokens/);
    expect((await operator.run(['metrics-tokens', 'revoke', id])).code).toBe(0);
    expect((await scrape()).status).toBe(401);
    expect((await operator.run(['metrics-tokens', 'revoke', id])).code).toBe(1);
  });

  it('badges issue prints the URLs and Markdown; list; revoke makes the URL 404', async () => {
    // The seed's heartbeat ages out while a loaded machine runs the file: report again, as the agent would.
    await stack.db.query(
      `update public.agent_status set status = 'warning', last_heartbeat = now() where agent_name = 'Blog Generator'`,
    );
    const issued = await operator.run(['badges', 'issue', 'Blog Generator', '--json']);
    expect(issued.code).toBe(0);
    const badge = JSON.parse(issued.stdout);
    expect(badge).toMatchObject({
      agent: 'Blog Generator',
      svg_url: `${stack.url}/functions/v1/metrics/badge/${badge.key}.svg`,
    });
    expect(badge.markdown).toBe(`![Blog Generator status](${badge.svg_url})`);
    expect(await (await fetch(badge.json_url)).json()).toMatchObject({ label: 'Blog Generator', message: 'warning' });
    expect((await operator.run(['badges', 'issue'])).stdout).toMatch(
      /Badge .* for all agents[\s\S]*Markdown: !\[agents status\]/,
    );
    const list = JSON.parse((await operator.run(['badges', 'list', '--json'])).stdout);
    expect(list.badges.map((b: { agent: string | null }) => b.agent)).toEqual(['Blog Generator', null]);
    expect((await viewer.run(['badges', 'list', '--json'])).stdout).toBe('{"badges":[]}\n');
    expect((await operator.run(['badges', 'revoke', badge.id])).code).toBe(0);
    expect((await fetch(badge.svg_url)).status).toBe(404);
  });

  it('metrics <name> shows each metric with its value and a sparkline; --json parses; --delete is for operators', async () => {
    const report = async (metrics: Record<string, unknown>) => {
      const { error } = await service.rpc('agent_report', {
        p_kind: 'heartbeat',
        p_agent_name: 'Engagement Analyzer',
        p_info: { metrics } as never,
      });
      if (error) throw new Error(error.message);
    };
    expect((await viewer.run(['metrics', 'Engagement Analyzer'])).stdout).toMatch(
      /Engagement Analyzer reports no metrics/,
    );
    await report({ series: 'run-1', gauges: { engagement_percent: 4.2 }, counters: { posts_analyzed: 30 } });
    await stack.db.query(
      `insert into public.agent_metric_points (agent_id, metric, minute, value)
       select s.id, 'engagement_percent', date_trunc('minute', now()) - make_interval(mins => m), m
         from public.agent_status s, generate_series(1, 5) m where s.agent_name = 'Engagement Analyzer'`,
    );
    const table = await viewer.run(['metrics', 'Engagement Analyzer']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^METRIC\s+KIND\s+VALUE\s+UPDATED\s+LAST 1 H/m);
    expect(table.stdout).toMatch(/^engagement_percent\s+gauge\s+4\.2\s+.+\s+[▁-█]{6}\s+1–5$/m);
    expect(table.stdout).toMatch(/^posts_analyzed\s+counter\s+30\s/m);

    const json = await viewer.run(['metrics', 'Engagement Analyzer', '--json', '--minutes', '0']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ agent: 'Engagement Analyzer', minutes: 0 });
    expect(
      parsed.metrics.map((m: { metric: string; kind: string; value: number; points: unknown[] }) => [
        m.metric,
        m.kind,
        m.value,
        m.points,
      ]),
    ).toEqual([
      ['engagement_percent', 'gauge', 4.2, []],
      ['posts_analyzed', 'counter', 30, []],
    ]);

    const unknown = await viewer.run(['metrics', 'Nobody', '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ code: 'agent_not_found', status: 404 });

    const denied = await viewer.run(['metrics', 'Engagement Analyzer', '--delete', 'posts_analyzed']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/only operators can delete metrics/);
    const deleted = await operator.run(['metrics', 'Engagement Analyzer', '--delete', 'posts_analyzed', '--json']);
    expect(JSON.parse(deleted.stdout)).toEqual({
      agent: 'Engagement Analyzer',
      metric: 'posts_analyzed',
      deleted: true,
    });
    const again = await operator.run(['metrics', 'Engagement Analyzer', '--delete', 'posts_analyzed']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Engagement Analyzer has no metric "posts_analyzed"/);
  });

  it('logout forgets the session: whoami then exits 1', async () => {
    expect((await viewer.run(['logout'])).code).toBe(0);
    const whoami = await viewer.run(['whoami']);
    expect(whoami.code).toBe(1);
    expect(whoami.stderr).toMatch(/not signed in/);
  });
});
