// `agent-status mcp` as an assistant uses it: the SDK's own MCP client over stdio spawns the built CLI,
// signed in with `agent-status login` in a home of its own, against the real stack and a real worker
// (runAgent). The tools are listed with their schemas and annotations; the fleet is read, filtered and
// paged; a viewer reads but is refused on stop_agents with the function's 403; an operator's
// restart_agents is acknowledged by the worker; errors carry the CLI's codes; stdout carries nothing but
// the protocol; the MCP Inspector's CLI calls list_agents.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAgent, type AgentLog, type AgentRun } from '@agent-status/agent-sdk';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome, type CliHome } from '../support/cli.ts';
import { CLI_BIN, connectMcp, errorOf, textOf, type McpSession } from '../support/mcp.ts';
import { apiKeys, clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const OPERATOR = { email: 'mcp-operator@example.com', password: 'mcp-operator-password', role: 'operator' };
const VIEWER = { email: 'mcp-viewer@example.com', password: 'mcp-viewer-password', role: 'viewer' };
const AGENTS = [
  'Account Manager',
  'Blog Generator',
  'Content Collector',
  'Engagement Analyzer',
  'Example Agent',
  'Tweet Scheduler',
];
const READ_TOOLS = ['list_agents', 'get_agent', 'fleet_activity', 'agent_logs', 'availability'];
const COMMAND_TOOLS = ['start_agents', 'stop_agents', 'restart_agents'];

let stack: RunningStack;
let service: SupabaseClient;
let operatorHome: CliHome;
let viewerHome: CliHome;
let operator: McpSession;
let viewer: McpSession;
let worker: AgentRun | undefined;

const desired = async (name: string) =>
  (
    await stack.db.query<{ desired_state: string; generation: string }>(
      'select d.desired_state, d.generation from public.agent_desired_state d join public.agent_status s on s.id = d.agent_id where s.agent_name = $1',
      [name],
    )
  ).rows[0];

async function report(kind: string, agent: string, message?: string) {
  const { error } = await service.rpc('agent_report', { p_kind: kind, p_agent_name: agent, p_message: message });
  if (error) throw new Error(error.message);
}

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  // Agents reported to once stay as reported for the whole file: the sweep would mark them offline.
  await stack.db.query('update public.agent_status set offline_after_seconds = 86400');
  await createUser(stack, OPERATOR);
  await createUser(stack, VIEWER);
  const project = { SUPABASE_URL: stack.url, ...publicKeyEnv(stack) };
  operatorHome = cliHome(project);
  viewerHome = cliHome(project);
  for (const [home, user] of [
    [operatorHome, OPERATOR],
    [viewerHome, VIEWER],
  ] as const) {
    const login = await home.run(['login', '--email', user.email, '--password', user.password]);
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  }
  operator = await connectMcp(operatorHome);
  viewer = await connectMcp(viewerHome);
});

afterAll(async () => {
  await operator?.close();
  await viewer?.close();
  await worker?.stop();
  operatorHome?.remove();
  viewerHome?.remove();
  await stack?.stop();
});

describe('the server', () => {
  it('introduces itself and says on stderr whom it acts as', async () => {
    expect(operator.client.getServerVersion()).toMatchObject({ name: 'agent-status' });
    expect(operator.client.getInstructions()).toMatch(/confirm with the person/);
    await expect.poll(() => operator.stderr()).toMatch(/as mcp-operator@example.com \(operator\)/);
  });

  it('lists the eight tools with JSON schemas; the commands are marked destructive, the reads read-only', async () => {
    const { tools } = await viewer.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...READ_TOOLS, ...COMMAND_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.description, tool.name).toBeTruthy();
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      if (COMMAND_TOOLS.includes(tool.name)) {
        expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: false, destructiveHint: true });
        expect(Object.keys(tool.inputSchema.properties ?? {}).sort()).toEqual(['names', 'tag', 'wait_seconds']);
      } else {
        expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true });
      }
    }
    const list = tools.find((tool) => tool.name === 'list_agents');
    expect(Object.keys(list?.inputSchema.properties ?? {}).sort()).toEqual(['cursor', 'limit', 'state', 'tag', 'text']);
  });
});

describe('reading the fleet', () => {
  it('list_agents: every agent in structured content and one line each in the text', async () => {
    await report('warning', 'Blog Generator', 'rate limited\nignore this line');
    const result = await viewer.call('list_agents');
    expect(result.isError).toBeFalsy();
    const listed = result.structuredContent as {
      matching: number;
      counts: Record<string, number>;
      agents: { name: string; state: string; tags: string[] }[];
      next_cursor: string | null;
    };
    expect(listed.agents.map((agent) => agent.name)).toEqual(AGENTS);
    expect(listed).toMatchObject({ matching: 6, next_cursor: null, counts: { warning: 1, stopped: 5 } });
    const text = textOf(result);
    expect(text).toMatch(
      /^Fleet of 6: 0 running, 1 warning, 0 error, 5 stopped, 0 offline; 0 with a command pending\.$/m,
    );
    expect(text).toMatch(
      /^- Blog Generator: warning, health 75, heartbeat \d+s ago, desired stopped; warning "rate limited\\nignore this line"$/m,
    );
    // An agent's text cannot forge a line of the answer.
    expect(text).not.toMatch(/^ignore this line/m);
  });

  it('list_agents filters by state, tag and text, and pages with a cursor without repeats', async () => {
    await stack.db.query(
      "update public.agent_status set tags = '{social}' where agent_name in ('Tweet Scheduler', 'Engagement Analyzer')",
    );
    const names = async (args: Record<string, unknown>) =>
      ((await viewer.call('list_agents', args)).structuredContent as { agents: { name: string }[] }).agents.map(
        (agent) => agent.name,
      );
    expect(await names({ state: 'warning' })).toEqual(['Blog Generator']);
    expect(await names({ tag: 'social' })).toEqual(['Engagement Analyzer', 'Tweet Scheduler']);
    expect(await names({ text: 'RATE LIMITED' })).toEqual(['Blog Generator']);
    expect(await names({ text: 'content' })).toEqual(['Content Collector']);
    expect(await names({ state: 'offline' })).toEqual([]);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await viewer.call('list_agents', { limit: 4, ...(cursor ? { cursor } : {}) });
      const listed = result.structuredContent as { agents: { name: string }[]; next_cursor: string | null };
      seen.push(...listed.agents.map((agent) => agent.name));
      if (!listed.next_cursor) break;
      expect(textOf(result)).toContain(`cursor "${listed.next_cursor}"`);
      cursor = listed.next_cursor;
    }
    expect(seen).toEqual(AGENTS);
  });

  it('get_agent: status, desired state, last error, latest events; an unknown agent is agent_not_found', async () => {
    await report('error', 'Engagement Analyzer', 'disk full');
    const result = await viewer.call('get_agent', { name: 'Engagement Analyzer', events: 3 });
    expect(result.isError).toBeFalsy();
    const page = result.structuredContent as {
      agent: { name: string; state: string; desired_state: string; tags: string[]; pending_command: unknown };
      last_error: { message: string; at: string; log_lines: unknown[] } | null;
      events: { kind: string; message: string | null }[];
    };
    expect(page.agent).toMatchObject({
      name: 'Engagement Analyzer',
      state: 'error',
      desired_state: 'stopped',
      tags: ['social'],
    });
    expect(page.agent.pending_command).toBeNull();
    expect(page.last_error).toMatchObject({ message: 'disk full' });
    expect(page.events[0]).toMatchObject({ kind: 'error', message: 'disk full' });
    expect(textOf(result)).toMatch(/^Last error: "disk full" at \d{4}-\d\d-\d\dT/m);

    const unknown = await viewer.call('get_agent', { name: 'Nobody' });
    expect(unknown.isError).toBe(true);
    expect(errorOf(unknown)).toEqual({
      code: 'agent_not_found',
      message: 'there is no agent named "Nobody"',
      status: 404,
    });
    expect(unknown.content[0]).toEqual({ type: 'text', text: 'there is no agent named "Nobody"' });
  });

  it('fleet_activity: events across the fleet by window and kind, newest first; a bad window is a usage error', async () => {
    const all = await viewer.call('fleet_activity', { since: '1h' });
    const events = (all.structuredContent as { events: { agent: string; kind: string; id: number }[] }).events;
    expect(events.map((e) => `${e.agent}:${e.kind}`)).toEqual(
      expect.arrayContaining(['Blog Generator:warning', 'Engagement Analyzer:error']),
    );
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => b - a));
    const errors = await viewer.call('fleet_activity', { kinds: ['error'] });
    expect((errors.structuredContent as { events: { agent: string }[] }).events.map((e) => e.agent)).toEqual([
      'Engagement Analyzer',
    ]);
    expect(textOf(errors)).toMatch(/^- \S+Z {2}Engagement Analyzer {2}error {2}disk full \(health 30\)$/m);
    const future = await viewer.call('fleet_activity', { since: '2999-01-01T00:00:00Z' });
    expect(errorOf(future)).toMatchObject({ code: 'usage', message: expect.stringMatching(/must be before until/) });
    const nonsense = await viewer.call('fleet_activity', { since: 'yesterday' });
    expect(errorOf(nonsense).message).toMatch(/since must be an ISO 8601 time or a time ago/);
    const badCursor = await viewer.call('fleet_activity', { cursor: 'not-a-cursor' });
    expect(errorOf(badCursor).code).toBe('usage');
  });

  it('availability: 24 h, 7 d and 30 d per agent', async () => {
    const result = await viewer.call('availability', { names: ['Blog Generator', 'Engagement Analyzer'] });
    const agents = (
      result.structuredContent as { agents: { name: string; last_24h: { availability: number | null } }[] }
    ).agents;
    expect(agents.map((a) => a.name)).toEqual(['Blog Generator', 'Engagement Analyzer']);
    expect(agents[0].last_24h.availability).toBe(1);
    expect(textOf(result)).toMatch(/^- Blog Generator \(warning\): 24 h 100 %, 7 d 100 %, 30 d 100 %$/m);
    expect(errorOf(await viewer.call('availability', { names: ['Nobody'] })).code).toBe('agent_not_found');
  });

  it('resources: the fleet summary and each agent page', async () => {
    const { resources } = await viewer.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['agent-status://fleet', 'agent-status://agents/Blog%20Generator']),
    );
    const fleet = await viewer.client.readResource({ uri: 'agent-status://fleet' });
    expect((fleet.contents[0] as { text: string }).text).toMatch(
      /Needing attention \(2\):[\s\S]*Engagement Analyzer: error/,
    );
    const page = await viewer.client.readResource({ uri: 'agent-status://agents/Engagement%20Analyzer' });
    expect((page.contents[0] as { text: string }).text).toMatch(/^Last error: "disk full"/m);
  });

  it('agent_logs: the latest lines the worker holds, redacted, bounded in lines, filtered by level; clear errors otherwise', async () => {
    const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: 'Example Agent' });
    if (error) throw new Error(error.message);
    let log: AgentLog | undefined;
    const logging = runAgent({
      name: 'Example Agent',
      config: { url: stack.url, token: data[0].token, anonKey: apiKeys(stack).publishable },
      work: async (signal, agent) => {
        log = agent.log;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
      heartbeatIntervalMs: 2000,
      handleSignals: false,
      exitProcess: false,
      log: () => undefined,
      logs: { echo: false },
    });
    try {
      await service.rpc('command_agents', { p_command: 'start', p_agent_name: 'Example Agent' });
      await expect.poll(() => log, { timeout: 30_000 }).toBeTruthy();
      log!.info('queued 3 tweets', { queue: 'main' });
      log!.warn('posting with token=abc123 was refused');
      log!.info('retrying in 30 s');

      const result = await viewer.call('agent_logs', { name: 'Example Agent', lines: 2, wait_seconds: 15 });
      expect(result.isError).toBeFalsy();
      const answer = result.structuredContent as {
        agent: string;
        lines: { level: string; text: string; fields?: unknown }[];
        truncated: boolean;
        listened_seconds: number;
      };
      expect(answer.agent).toBe('Example Agent');
      expect(answer.lines.map((line) => [line.level, line.text])).toEqual([
        ['warn', 'posting with token=[redacted] was refused'],
        ['info', 'retrying in 30 s'],
      ]);
      expect(answer.truncated).toBe(true);
      expect(answer.listened_seconds).toBeLessThanOrEqual(15);
      expect(textOf(result)).toMatch(/Example Agent: 2 log lines \(the latest of 3\)/);
      expect(textOf(result)).not.toContain('abc123');

      const warnings = (await viewer.call('agent_logs', { name: 'Example Agent', level: 'warn' }))
        .structuredContent as {
        lines: { text: string }[];
        truncated: boolean;
      };
      expect(warnings.lines.map((line) => line.text)).toEqual(['posting with token=[redacted] was refused']);
      expect(warnings.truncated).toBe(false);
    } finally {
      await logging.stop();
    }

    expect(errorOf(await viewer.call('agent_logs', { name: 'No Such Agent' }))).toMatchObject({
      code: 'agent_not_found',
    });
    // Reported to, but no SDK worker answers the watch.
    await report('heartbeat', 'Blog Generator');
    const silent = await viewer.call('agent_logs', { name: 'Blog Generator', wait_seconds: 1 });
    expect(errorOf(silent)).toMatchObject({ code: 'no_answer' });
    expect(textOf(silent)).toMatch(/did not answer within 1 s/);
  });
});

describe('commands', () => {
  it("a viewer is refused on stop_agents with the agents function's 403, and nothing changes", async () => {
    await operatorHome.run(['start', 'Account Manager']);
    const before = await desired('Account Manager');
    const refused = await viewer.call('stop_agents', { names: ['Account Manager'] });
    expect(refused.isError).toBe(true);
    expect(errorOf(refused)).toMatchObject({ code: 'forbidden', status: 403 });
    expect(textOf(refused)).toMatch(/Only operators can do this\..*\(HTTP 403\)/);
    expect(await desired('Account Manager')).toEqual(before);
    expect(errorOf(await viewer.call('restart_agents', { tag: 'social' })).code).toBe('forbidden');
  });

  it("an operator's restart_agents is acknowledged by the real worker", async () => {
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
    const started = await operator.call('start_agents', { names: ['Content Collector'], wait_seconds: 30 });
    expect((started.structuredContent as { pending: string[] }).pending).toEqual([]);

    const restarted = await operator.call('restart_agents', { names: ['Content Collector'], wait_seconds: 30 });
    expect(restarted.isError).toBeFalsy();
    const answer = restarted.structuredContent as {
      command: string;
      requested_by: string;
      agents: { name: string; generation: number; acknowledged: boolean; acknowledged_after_seconds: number }[];
      pending: string[];
    };
    expect(answer).toMatchObject({ command: 'restart', requested_by: OPERATOR.email, pending: [] });
    expect(answer.agents).toEqual([
      expect.objectContaining({
        name: 'Content Collector',
        desired_state: 'running',
        generation: 2,
        acknowledged: true,
      }),
    ]);
    expect(answer.agents[0].acknowledged_after_seconds).toBeGreaterThan(0);
    expect(answer.agents[0].acknowledged_after_seconds).toBeLessThan(30);
    expect(textOf(restarted)).toMatch(
      /^- Content Collector: desired running, generation 2 — acknowledged in \d+\.\d+ s$/m,
    );
    const events = (await operator.call('fleet_activity', { agent: 'Content Collector', kinds: ['command'] }))
      .structuredContent as { events: { command: string; actor_email: string }[] };
    expect(events.events[0]).toMatchObject({ command: 'restart', actor_email: OPERATOR.email });
  });

  it('by tag, an agent without a worker stays pending after the bounded wait; bad targets are errors', async () => {
    const result = await operator.call('start_agents', { tag: 'social', wait_seconds: 1 });
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as { agents: { name: string; acknowledged: boolean }[]; pending: string[] };
    expect(answer.agents.map((a) => [a.name, a.acknowledged])).toEqual([
      ['Engagement Analyzer', false],
      ['Tweet Scheduler', false],
    ]);
    expect(answer.pending).toEqual(['Engagement Analyzer', 'Tweet Scheduler']);
    expect(textOf(result)).toMatch(/Tweet Scheduler: desired running, generation 1 — pending: no acknowledgement yet/);
    expect((await desired('Tweet Scheduler')).desired_state).toBe('running');

    expect(errorOf(await operator.call('stop_agents', { tag: 'nobody-has-it' }))).toMatchObject({
      code: 'agent_not_found',
    });
    expect(errorOf(await operator.call('stop_agents', {}))).toMatchObject({ code: 'usage' });
    expect(errorOf(await operator.call('stop_agents', { names: ['Nobody'] }))).toMatchObject({
      code: 'agent_not_found',
      status: 404,
    });
    const invalid = await operator.call('stop_agents', { names: [] });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/Input validation error/);
  });
});

describe('sessions and stdio', () => {
  it('without a session every tool answers not_signed_in, as the CLI does', async () => {
    const nobody = cliHome({ SUPABASE_URL: stack.url, ...publicKeyEnv(stack) });
    const session = await connectMcp(nobody);
    try {
      expect(errorOf(await session.call('list_agents'))).toMatchObject({ code: 'not_signed_in', status: 401 });
      expect(session.stderr()).toMatch(/not signed in/);
    } finally {
      await session.close();
      nobody.remove();
    }
  });

  it('writes nothing but JSON-RPC messages to stdout, and exits 0 when the client closes stdin', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'mcp'], {
      cwd: viewerHome.dir,
      env: viewerHome.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_agents', arguments: {} } });
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'stop_agents', arguments: { names: ['Blog Generator'] } },
    });
    await expect.poll(() => stdout.split('\n').filter(Boolean).length, { timeout: 60_000 }).toBe(3);
    child.stdin.end();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const messages = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(messages.every((m) => m.jsonrpc === '2.0' && 'result' in m)).toBe(true);
  });

  it("the MCP Inspector's CLI calls list_agents", async () => {
    const inspector = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build', 'cli.js');
    // inspector-cli 1.0.3 finds its own package.json as "../package.json" of the working directory: it
    // runs from a folder whose parent has one.
    const cwd = join(viewerHome.dir, 'inspector');
    mkdirSync(cwd);
    writeFileSync(join(viewerHome.dir, 'package.json'), '{}');
    const child = spawn(
      process.execPath,
      [
        inspector,
        '--cli',
        process.execPath,
        CLI_BIN,
        'mcp',
        '--method',
        'tools/call',
        '--tool-name',
        'list_agents',
        '--tool-arg',
        'text=blog',
      ],
      { cwd, env: viewerHome.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(result.structuredContent.agents.map((a: { name: string }) => a.name)).toEqual(['Blog Generator']);
  });
});
