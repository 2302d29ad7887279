// The CLI in-process against a fake project: main.ts's run() with captured stdout and stderr, its own
// config folder, and msw answering the REST, RPC and Edge Function calls the real supabase-js makes.
// What the CLI prints and its exit code are what these tests judge; tests/integration/cli*.test.ts run
// the built bin against the real stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AgentOverviewRow } from '@agent-status/domain';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { run } from '../src/main.ts';
import { Output } from '../src/output.ts';
import { SessionFile } from '../src/session-file.ts';

export const PROJECT_URL = 'http://supabase.test';
const PUBLISHABLE_KEY = 'sb_publishable_for_tests';

// A database before fleet_overview_compact() (PGRST202): the fleet comes from each test's fleet_overview
// handler. The compact answer's decoding is client/test/compact.test.ts's, the real one the integration tests'.
export const server = setupServer(
  http.get(`${PROJECT_URL}/rest/v1/rpc/fleet_overview_compact`, () =>
    HttpResponse.json({ code: 'PGRST202', message: 'Could not find the function' }, { status: 404 }),
  ),
);

/** A stream that keeps what is written to it. */
class Captured extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}

function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

/** A stored session as supabase-js keeps it: valid for an hour. */
function session(role: 'operator' | 'viewer') {
  const email = `${role}@example.com`;
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  const user = { id: `user-${role}`, aud: 'authenticated', role: 'authenticated', email, app_metadata: { role } };
  return {
    access_token: fakeJwt({ sub: user.id, email, role: 'authenticated', app_metadata: { role }, exp: expiresAt }),
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: expiresAt,
    refresh_token: `refresh-${role}`,
    user,
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `agent-status <argv>` signed in as `role` (or signed out with null). */
export async function cli(argv: string[], role: 'operator' | 'viewer' | null = 'operator'): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), 'agent-status-cli-unit-'));
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    SUPABASE_URL: PROJECT_URL,
    SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    NO_COLOR: '1',
  };
  if (role) {
    new SessionFile(join(env.XDG_CONFIG_HOME, 'agent-status')).write({
      project: { url: PROJECT_URL, apiKey: PUBLISHABLE_KEY },
      storage: { [`agent-status:${PROJECT_URL}`]: JSON.stringify(session(role)) },
    });
  }
  const stdout = new Captured();
  const stderr = new Captured();
  try {
    const code = await run(argv, new Output(stdout, stderr, env), env);
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** An agent_overview row as fleet_overview() answers it; the server's clock reads `now`. */
export function overviewRow(name: string, now: number, overrides: Partial<AgentOverviewRow> = {}): AgentOverviewRow {
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
  return {
    id: `id-${name}`,
    agent_name: name,
    description: null,
    status: 'running',
    health: 100,
    offline: false,
    last_heartbeat: ago(2),
    started_at: ago(723),
    last_activity: null,
    last_activity_at: null,
    last_error: null,
    last_error_at: null,
    last_warning: null,
    last_warning_at: null,
    observed_generation: 1,
    heartbeat_interval_seconds: 10,
    offline_after_seconds: null,
    effective_offline_after_seconds: 30,
    host: null,
    pid: null,
    version: null,
    instance_id: null,
    duplicate_instance_seen_at: null,
    muted_until: null,
    tags: [],
    created_at: ago(3600),
    updated_at: ago(2),
    errors_total: 0,
    starts_total: 1,
    offline_total: 0,
    desired_state: 'running',
    generation: 1,
    last_command: 'start',
    requested_by_email: null,
    requested_at: ago(723),
    pending: false,
    server_time: new Date(now).toISOString(),
    ...overrides,
  };
}
