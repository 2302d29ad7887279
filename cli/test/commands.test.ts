// Each command of the CLI as a table row: the command line, what the fake project answers, the exit
// code and what is printed (stdout, and the error on stderr). In-process with the real supabase-js
// against msw; tests/integration/cli*.test.ts run the built bin against the real stack.
import { readFileSync } from 'node:fs';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, overviewRow, PROJECT_URL, server } from './harness.ts';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const FORBIDDEN = {
  error: { code: 'forbidden', message: 'Only operators can do this. Ask an operator to change your role.' },
};

/** Answers a POST to an `agents` function route; `bodies` records what was sent. */
function agentsRoute(route: string, answer: JsonBodyType, status = 200) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${PROJECT_URL}/functions/v1/agents/${route}`, async ({ request }) => {
      bodies.push(await request.json());
      return HttpResponse.json(answer, { status });
    }),
  );
  return bodies;
}

function fleet(rows: JsonBodyType, status = 200) {
  server.use(http.get(`${PROJECT_URL}/rest/v1/rpc/fleet_overview`, () => HttpResponse.json(rows, { status })));
}

describe('usage: exit 2 with help, nothing sent', () => {
  it.each([
    { argv: [], stderr: /no command given[\s\S]*Usage: agent-status <command>/ },
    { argv: ['frobnicate'], stderr: /unknown command "frobnicate"/ },
    { argv: ['stop'], stderr: /missing <name>[\s\S]*Usage: agent-status stop <name>/ },
    { argv: ['stop', 'a', 'b'], stderr: /unexpected argument "b"/ },
    { argv: ['status', '--bogus'], stderr: /Unknown option '--bogus'/ },
    { argv: ['events', 'X', '--limit', 'zero'], stderr: /--limit must be a whole number from 1 to 1000/ },
    { argv: ['start', 'X', '--wait', '--timeout', 'soon'], stderr: /--timeout must be a number of seconds/ },
    { argv: ['badges'], stderr: /badges needs a subcommand[\s\S]*<issue\|list\|revoke>/ },
    { argv: ['badges', 'frob'], stderr: /unknown subcommand "badges frob"/ },
    { argv: ['metrics-tokens', 'revoke', 'not-an-id'], stderr: /"not-an-id" is not an id/ },
    { argv: ['tokens', 'revoke', 'nope'], stderr: /"nope" is not an id/ },
    { argv: ['agents', 'update', 'X'], stderr: /nothing to change: give --name/ },
    { argv: ['agents', 'add', 'X', '--heartbeat', 'often'], stderr: /--heartbeat must be a whole number of seconds/ },
    { argv: ['agents', 'update', 'X', '--offline-after', '2.5'], stderr: /--offline-after must be a whole number/ },
  ])('$argv', async ({ argv, stderr }) => {
    const result = await cli(argv);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(stderr);
  });

  it('--json words a usage error as JSON on stderr', async () => {
    const result = await cli(['stop', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr.split('\n')[0])).toEqual({ error: { code: 'usage', message: 'missing <name>' } });
  });
});

describe('help and version: exit 0 on stdout', () => {
  it.each([
    { argv: ['--version'], stdout: new RegExp(`^${VERSION.replaceAll('.', '\\.')}\\n$`) },
    { argv: ['--help'], stdout: /Exit codes: 0 success, 1 the server refused or the request failed, 2 usage\./ },
    { argv: ['help', 'stop'], stdout: /Usage: agent-status stop <name> \[--wait\] \[--timeout <seconds>\]/ },
    { argv: ['stop', '--help'], stdout: /--wait {10}wait until the agent acknowledges/ },
    { argv: ['badges', '--help'], stdout: /agent-status badges issue \[<agent name>\]/ },
    { argv: ['help', 'tokens'], stdout: /Usage: agent-status tokens <issue\|list\|revoke>/ },
  ])('$argv', async ({ argv, stdout }) => {
    const result = await cli(argv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(stdout);
  });
});

describe('the session', () => {
  it.each([
    {
      argv: ['whoami', '--json'],
      role: 'operator' as const,
      code: 0,
      stdout: (out: string) =>
        expect(JSON.parse(out)).toMatchObject({ email: 'operator@example.com', role: 'operator', url: PROJECT_URL }),
    },
    {
      argv: ['whoami'],
      role: 'viewer' as const,
      code: 0,
      stdout: (out: string) => expect(out).toBe(`viewer@example.com (viewer) on ${PROJECT_URL}\n`),
    },
    {
      argv: ['whoami'],
      role: null,
      code: 1,
      stdout: (out: string) => expect(out).toBe(''),
      stderr: /^agent-status: not signed in to http:\/\/supabase\.test; run `agent-status login`\n$/,
    },
    {
      argv: ['status', '--json'],
      role: null,
      code: 1,
      stdout: (out: string) => expect(out).toBe(''),
      stderr: /"code":"not_signed_in"/,
    },
  ])('$argv signed in as $role', async ({ argv, role, code, stdout, stderr }) => {
    const result = await cli(argv, role);
    expect(result.code).toBe(code);
    stdout(result.stdout);
    if (stderr) expect(result.stderr).toMatch(stderr);
  });
});

describe('status', () => {
  const now = Date.now();

  it('prints the table of docs/cli.md and the README: one line per agent, by name', async () => {
    fleet([
      overviewRow('Content Collector', now, {
        last_heartbeat: new Date(now - 7000).toISOString(),
        started_at: new Date(now - 722_000).toISOString(),
      }),
      overviewRow('Blog Generator', now, {
        status: 'warning',
        health: 75,
        started_at: new Date(now - 723_000).toISOString(),
      }),
    ]);
    const result = await cli(['status']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')).toEqual([
      'NAME               STATE    HEALTH  HEARTBEAT  UPTIME   DESIRED  COMMAND',
      'Blog Generator     warning      75  2s ago     12m 03s  running  —',
      'Content Collector  running     100  7s ago     12m 02s  running  —',
      '',
    ]);
  });

  it.each([
    {
      name: 'a stopped agent has no uptime; a pending command says so',
      row: { status: 'stopped', health: 0, desired_state: 'running', generation: 2, observed_generation: 1 },
      line: /^Probe {2}stopped {7}0 {2}2s ago {5}— {7}running {2}pending$/,
    },
    {
      name: 'an offline agent is offline whatever it last reported',
      row: { status: 'running', offline: true, last_heartbeat: new Date(now - 95_000).toISOString() },
      line: /^Probe {2}offline {5}100 {2}1m 35s ago {2}— {7}running {2}—$/,
    },
    {
      name: 'an agent that never reported has no heartbeat',
      row: { status: 'stopped', health: 0, last_heartbeat: null, started_at: null, desired_state: 'stopped' },
      line: /^Probe {2}stopped {7}0 {2}— {10}— {7}stopped {2}—$/,
    },
    {
      name: 'control characters in a name are shown, not obeyed',
      row: { agent_name: 'Probe\u001b[2J' },
      line: /^Probe\\x1b\[2J {2}running/,
    },
  ])('$name', async ({ row, line }) => {
    fleet([overviewRow('Probe', now, row as object)]);
    const result = await cli(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[1]).toMatch(line);
  });

  it('--json: the documented fields, ages on the server clock', async () => {
    fleet([overviewRow('Probe', now, { status: 'stopped', generation: 3, observed_generation: 2 })]);
    const result = await cli(['status', '--json']);
    const status = JSON.parse(result.stdout);
    expect(Object.keys(status)).toEqual(['server_time', 'agents']);
    expect(status.agents).toEqual([
      {
        name: 'Probe',
        state: 'stopped',
        health: 100,
        last_heartbeat: new Date(now - 2000).toISOString(),
        heartbeat_age_seconds: 2,
        started_at: new Date(now - 723_000).toISOString(),
        uptime_seconds: null,
        desired_state: 'running',
        generation: 3,
        observed_generation: 2,
        pending: true,
        last_activity: null,
        last_error: null,
      },
    ]);
  });

  it('no agents: says so', async () => {
    fleet([]);
    expect(await cli(['status'])).toMatchObject({ code: 0, stdout: 'No agents.\n' });
  });

  it('an expired session: exit 1, asks to log in again', async () => {
    fleet({ code: 'PGRST301', message: 'JWT expired' }, 401);
    const result = await cli(['status']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/reading agents: your session is invalid or has expired; run `agent-status login`/);
  });

  it('a database without fleet_overview is read in counted pages of agent_overview', async () => {
    fleet({ code: 'PGRST202', message: 'Could not find the function public.fleet_overview' }, 404);
    const rows = [overviewRow('Beta', now), overviewRow('Alpha', now)];
    server.use(
      http.get(`${PROJECT_URL}/rest/v1/agent_overview`, () =>
        HttpResponse.json(rows, { headers: { 'content-range': `0-1/${rows.length}` } }),
      ),
    );
    const result = await cli(['status', '--json']);
    expect(JSON.parse(result.stdout).agents.map((a: { name: string }) => a.name)).toEqual(['Alpha', 'Beta']);
  });
});

describe('commands through the agents function', () => {
  it.each([
    {
      argv: ['stop', 'Probe'],
      route: 'stop',
      answer: { agent_name: 'Probe', desired_state: 'stopped', generation: 4 },
      body: { agent_name: 'Probe' },
      stdout: 'Stop sent to Probe: desired stopped, generation 4.\n',
    },
    {
      argv: ['restart', 'Probe', '--json'],
      route: 'restart',
      answer: { agent_name: 'Probe', desired_state: 'running', generation: 5 },
      body: { agent_name: 'Probe' },
      stdout: `${JSON.stringify({
        command: 'restart',
        agents: [{ name: 'Probe', desired_state: 'running', generation: 5, acknowledged_after_seconds: null }],
      })}\n`,
    },
    {
      argv: ['start-all', '--yes'],
      route: 'start-all',
      answer: {
        agents: [
          { agent_name: 'A', desired_state: 'running', generation: 2 },
          { agent_name: 'B', desired_state: 'running', generation: 7 },
        ],
      },
      body: {},
      stdout: 'Start sent to 2 agents: desired running.\n',
    },
    {
      argv: ['agents', 'add', 'New', '--heartbeat', '30', '--description', 'nightly'],
      route: 'create',
      answer: { agent_name: 'New', id: 'id-new', desired_state: 'stopped', generation: 0 },
      body: { agent_name: 'New', description: 'nightly', heartbeat_interval_seconds: 30 },
      stdout: 'Added agent New (desired stopped).\nNext: give its worker a token — agent-status tokens issue "New"\n',
    },
    {
      argv: ['agents', 'update', 'New', '--name', 'Newer', '--description', '', '--offline-after', 'default'],
      route: 'update',
      answer: {
        id: 'id-new',
        agent_name: 'Newer',
        description: null,
        heartbeat_interval_seconds: 30,
        offline_after_seconds: null,
        effective_offline_after_seconds: 90,
      },
      body: { agent_name: 'New', new_name: 'Newer', description: null, offline_after_seconds: null },
      stdout:
        'Renamed New to Newer:\n  description     —\n  heartbeat       every 30 s\n  offline after   90 s (3 heartbeats)\n',
    },
    {
      argv: ['agents', 'delete', 'Newer', '--yes'],
      route: 'delete',
      answer: { agent_name: 'Newer', deleted: true },
      body: { agent_name: 'Newer' },
      stdout: 'Deleted Newer.\n',
    },
    {
      argv: ['tokens', 'revoke', '0b0e2d58-2f3a-4f2e-9a47-1f2b3c4d5e6f', '--json'],
      route: 'tokens/revoke',
      answer: { token_id: '0b0e2d58-2f3a-4f2e-9a47-1f2b3c4d5e6f', revoked: true },
      body: { token_id: '0b0e2d58-2f3a-4f2e-9a47-1f2b3c4d5e6f' },
      stdout: '{"id":"0b0e2d58-2f3a-4f2e-9a47-1f2b3c4d5e6f","revoked":true}\n',
    },
  ])('$argv', async ({ argv, route, answer, body, stdout }) => {
    const bodies = agentsRoute(route, answer);
    expect(await cli(argv)).toEqual({ code: 0, stdout, stderr: '' });
    expect(bodies).toEqual([body]);
  });

  it('tokens issue prints the token once with the environment its worker needs', async () => {
    const bodies = agentsRoute('tokens/issue', { token_id: 't-1', agent_name: 'Probe', token: 'ast_secret' });
    const result = await cli(['tokens', 'issue', 'Probe', '--label', 'prod host']);
    expect(bodies).toEqual([{ agent_name: 'Probe', label: 'prod host' }]);
    expect(result.stdout.split('\n')).toEqual([
      'Token t-1 for Probe — shown this once, store it now:',
      '',
      '  ast_secret',
      '',
      'Its worker needs (docs/agent-sdk.md, docs/python.md):',
      `  SUPABASE_URL=${PROJECT_URL}`,
      '  SUPABASE_PUBLISHABLE_KEY=sb_publishable_for_tests',
      '  AGENT_TOKEN=ast_secret',
      '',
    ]);
  });

  it.each([
    {
      name: "a refusal: the function's message and status, exit 1",
      argv: ['stop', 'Probe'],
      response: () => HttpResponse.json(FORBIDDEN, { status: 403 }),
      stderr: 'agent-status: Only operators can do this. Ask an operator to change your role. (HTTP 403)\n',
    },
    {
      name: 'a refusal with --json: the error as JSON on stderr',
      argv: ['stop', 'Probe', '--json'],
      response: () => HttpResponse.json(FORBIDDEN, { status: 403 }),
      stderr: `${JSON.stringify({ error: { code: 'forbidden', message: `${FORBIDDEN.error.message} (HTTP 403)`, status: 403 } })}\n`,
    },
    {
      name: 'an answer that is not the function’s: its status',
      argv: ['stop', 'Probe'],
      response: () => new HttpResponse('bad gateway', { status: 502 }),
      stderr: 'agent-status: the server answered 502 (HTTP 502)\n',
    },
    {
      name: 'no answer at all',
      argv: ['stop', 'Probe'],
      response: () => HttpResponse.error(),
      stderr: /^agent-status: cannot reach the agents function: /,
    },
  ])('$name', async ({ argv, response, stderr }) => {
    server.use(http.post(`${PROJECT_URL}/functions/v1/agents/stop`, response));
    const result = await cli(argv, 'viewer');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    if (typeof stderr === 'string') expect(result.stderr).toBe(stderr);
    else expect(result.stderr).toMatch(stderr);
  });
});

describe('reads and credentials', () => {
  it('events: the history, oldest first, one line each', async () => {
    server.use(
      http.get(`${PROJECT_URL}/rest/v1/agent_status`, () => HttpResponse.json([{ id: 'id-p', agent_name: 'Probe' }])),
      http.get(`${PROJECT_URL}/rest/v1/agent_events`, () =>
        HttpResponse.json(
          [
            {
              id: 2,
              kind: 'status',
              from_status: 'running',
              to_status: 'stopped',
              health: 0,
              created_at: '2026-11-27T14:03:05Z',
            },
            {
              id: 1,
              kind: 'command',
              command: 'stop',
              actor_email: 'op@example.com',
              generation: 4,
              created_at: '2026-11-27T14:03:04Z',
            },
          ].map((e) => ({
            message: null,
            from_status: null,
            to_status: null,
            health: null,
            generation: null,
            command: null,
            actor_email: null,
            agent_id: 'id-p',
            snapshot: null,
            ...e,
          })),
        ),
      ),
    );
    const result = await cli(['events', 'Probe']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}command {7}stop by op@example\.com → generation 4$/);
    expect(lines[1]).toMatch(/ {2}status {8}running → stopped \(health 0\)$/);
  });

  it('events of an agent that does not exist: exit 1', async () => {
    server.use(http.get(`${PROJECT_URL}/rest/v1/agent_status`, () => HttpResponse.json([])));
    const result = await cli(['events', 'Ghost']);
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: 'agent-status: there is no agent named "Ghost"\n' });
  });

  it('metrics-tokens issue --json: the token and where to scrape', async () => {
    server.use(
      http.post(`${PROJECT_URL}/rest/v1/rpc/issue_metrics_token`, () =>
        HttpResponse.json([{ token_id: 'm-1', label: null, token: 'asm_secret' }]),
      ),
    );
    const result = await cli(['metrics-tokens', 'issue', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({
      id: 'm-1',
      label: null,
      token: 'asm_secret',
      metrics_url: `${PROJECT_URL}/functions/v1/metrics`,
    });
  });

  it('badges issue: the URLs and Markdown, for all agents without a name', async () => {
    server.use(
      http.post(`${PROJECT_URL}/rest/v1/rpc/issue_badge_key`, () =>
        HttpResponse.json([{ key_id: 'b-1', agent_name: null, label: null, key: 'asb_key' }]),
      ),
    );
    const result = await cli(['badges', 'issue']);
    const base = `${PROJECT_URL}/functions/v1/metrics/badge/asb_key`;
    expect(result.stdout.split('\n')).toEqual([
      'Badge b-1 for all agents',
      `  SVG:      ${base}.svg`,
      `  JSON:     ${base}.json  (shields.io endpoint format)`,
      `  Markdown: ![agents status](${base}.svg)`,
      '',
    ]);
  });

  it('revoking what is not there: exit 1, nothing to revoke', async () => {
    server.use(http.post(`${PROJECT_URL}/rest/v1/rpc/revoke_badge_key`, () => HttpResponse.json(false)));
    const id = '0b0e2d58-2f3a-4f2e-9a47-1f2b3c4d5e6f';
    expect(await cli(['badges', 'revoke', id])).toMatchObject({
      code: 1,
      stderr: `agent-status: no active badge key with id ${id}\n`,
    });
  });
});
