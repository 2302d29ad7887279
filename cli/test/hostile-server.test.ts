// A malicious (or broken) server answers the CLI with terminal control sequences in every string and
// a state the CLI does not know: nothing of it may reach the terminal raw, and `status` fails clearly.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/main.ts';
import { Output } from '../src/output.ts';

// OSC (window title), CSI via ESC and via the one-byte C1 CSI (U+009B), a clear screen, BEL and DEL.
const EVIL = 'x\u001b]0;pwned\u0007\u009b2J\u001b[2J\u001b[31m\u007fy';
/** Any control character but a line break: what a terminal could act on. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const accessToken = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({
  sub: '5b0c6a1e-0000-4000-8000-00000000000a',
  role: 'authenticated',
  exp: Math.floor(Date.now() / 1000) + 3600,
})}.c2lnbmF0dXJl`;

const overviewRow = (status: string) => ({
  id: '5b0c6a1e-0000-4000-8000-000000000001',
  agent_name: 'Probe',
  status,
  offline: false,
  health: 100,
  last_heartbeat: new Date().toISOString(),
  started_at: new Date().toISOString(),
  last_activity: null,
  last_error: null,
  desired_state: 'running',
  generation: 1,
  observed_generation: 1,
  heartbeat_interval_seconds: 10,
  effective_offline_after_seconds: 30,
  updated_at: new Date().toISOString(),
  server_time: new Date().toISOString(),
});

let agentState = EVIL;

function answer(request: IncomingMessage, response: ServerResponse, body: unknown) {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function hostile(request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? '').split('?')[0];
  if (path === '/auth/v1/token')
    return answer(request, response, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: 3600,
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      refresh_token: 'refresh',
      user: {
        id: '5b0c6a1e-0000-4000-8000-00000000000a',
        aud: 'authenticated',
        email: 'operator@hostile.test',
        app_metadata: { role: EVIL },
        user_metadata: {},
        created_at: new Date().toISOString(),
      },
    });
  if (path === '/functions/v1/agents/create')
    return answer(request, response, {
      agent_name: 'Probe',
      id: EVIL,
      desired_state: EVIL,
      generation: EVIL,
    });
  if (path === '/functions/v1/agents/tokens/issue')
    return answer(request, response, { token_id: EVIL, agent_name: 'Probe', token: EVIL });
  if (path === '/rest/v1/rpc/issue_metrics_token')
    return answer(request, response, [{ token_id: EVIL, label: 'scraper', token: EVIL }]);
  // The fleet as the CLI reads it (fleet_overview_compact(), as the dashboard does), and one agent's row.
  if (path === '/rest/v1/rpc/fleet_overview_compact') {
    const { server_time, ...row } = overviewRow(agentState);
    return answer(request, response, { server_time, columns: Object.keys(row), rows: [Object.values(row)] });
  }
  if (path === '/rest/v1/rpc/fleet_overview' || path === '/rest/v1/agent_overview')
    return answer(request, response, [overviewRow(agentState)]);
  request.resume();
  response.writeHead(404).end();
}

class Collector extends Writable {
  text = '';
  isTTY = true;
  _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

let server: Server;
let env: Record<string, string>;
let configHome: string;

beforeAll(async () => {
  server = createServer(hostile);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  configHome = mkdtempSync(join(tmpdir(), 'agent-status-cli-hostile-'));
  env = {
    SUPABASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_hostile',
    XDG_CONFIG_HOME: configHome,
    NO_COLOR: '1',
  };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(configHome, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await run(argv, new Output(stdout, stderr, env), env);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("a hostile server's answers", () => {
  const commands = [
    ['login', '--email', 'operator@hostile.test', '--password', 'secret'],
    ['whoami'],
    ['agents', 'add', 'Probe'],
    ['agents', 'add', 'Probe', '--json'],
    ['tokens', 'issue', 'Probe'],
    ['tokens', 'issue', 'Probe', '--json'],
    ['metrics-tokens', 'issue'],
    ['metrics-tokens', 'issue', '--json'],
    ['whoami', '--json'],
  ];
  it.each(commands.map((argv) => [argv.join(' '), argv]))(
    '%s: no control character reaches the terminal',
    async (_, argv) => {
      const { code, stdout, stderr } = await cli(...argv);
      expect(code, stderr).toBe(0);
      expect(stdout + stderr).not.toMatch(CONTROL);
      // What the server said is shown, made visible; scripts get it exactly, escaped in the JSON.
      if (argv.includes('--json')) expect(Object.values(JSON.parse(stdout))).toContain(EVIL);
      else expect(stdout).toContain('x\\x1b]0;pwned\\x07\\x9b2J');
    },
  );

  it('status fails clearly on a state it does not know, and shows none of it raw', async () => {
    agentState = 'exploded';
    const plain = await cli('status');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/unexpected answer.*state "exploded"/);
    agentState = EVIL;
    const hostileState = await cli('status');
    expect(hostileState.code).toBe(1);
    expect(hostileState.stderr).toMatch(/unexpected answer.*state "x\\x1b/);
    expect(hostileState.stdout + hostileState.stderr).not.toMatch(CONTROL);
  });

  it('status shows a state it knows', async () => {
    agentState = 'running';
    const { code, stdout } = await cli('status');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Probe\s+running\s+100/);
  });
});
