// The agent registry from the `agent-status` CLI, run as operators run it — the built bin in
// its own process with a config directory of its own — against the real stack: agents add / update /
// delete and tokens issue / list / revoke; --json parses; a viewer exits 1 with the function's 403
// message; bad usage exits 2 with help; the token it prints works for agent_report and stops working
// once revoked.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome, type CliHome } from '../support/cli.ts';
import { clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = {
  email: 'cli-registry-operator@example.com',
  password: 'cli-registry-operator-password',
  role: 'operator',
};
const VIEWER = { email: 'cli-registry-viewer@example.com', password: 'cli-registry-viewer-password', role: 'viewer' };

let stack: RunningStack;
let anon: SupabaseClient;
let operator: CliHome;
let viewer: CliHome;

async function report(token: string) {
  const { data, error } = await anon.rpc('agent_report', { p_kind: 'heartbeat', p_token: token });
  return error ? { error: error.code } : { agent: (data as Array<{ agent_name: string }>)[0].agent_name };
}

beforeAll(async () => {
  stack = await startTestStack();
  anon = clients(stack).anon;
  await createUser(stack, OPERATOR);
  await createUser(stack, VIEWER);
  const project = { SUPABASE_URL: stack.url, ...publicKeyEnv(stack) };
  operator = cliHome(project);
  viewer = cliHome(project);
  expect((await operator.run(['login', '--email', OPERATOR.email, '--password', OPERATOR.password])).code).toBe(0);
  expect((await viewer.run(['login', '--email', VIEWER.email, '--password', VIEWER.password])).code).toBe(0);
});

afterAll(async () => {
  operator?.remove();
  viewer?.remove();
  await stack?.stop();
});

describe('usage', () => {
  it.each([
    [['agents'], /agents needs a subcommand[\s\S]*Usage: agent-status agents <add\|update\|delete>/],
    [['agents', 'add'], /missing <name>[\s\S]*Usage: agent-status agents add <name>/],
    [['agents', 'add', 'X', '--heartbeat', 'often'], /--heartbeat must be a whole number of seconds, got "often"/],
    [['agents', 'update', 'X'], /nothing to change/],
    [['agents', 'update', 'X', '--offline-after', '2.5'], /--offline-after must be a whole number of seconds/],
    [['tokens', 'issue'], /missing <agent name>/],
    [['tokens', 'revoke', 'nope'], /"nope" is not an id/],
    [['tokens'], /tokens needs a subcommand[\s\S]*Usage: agent-status tokens <issue\|list\|revoke>/],
  ])('agent-status %j exits 2 with help', async (args, message) => {
    const result = await operator.run(args as string[]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('lists the registry commands in the general help', async () => {
    const help = (await operator.run(['--help'])).stdout;
    for (const command of [
      'agents add',
      'agents update',
      'agents delete',
      'tokens issue',
      'tokens list',
      'tokens revoke',
    ])
      expect(help).toContain(command);
  });
});

describe('the registry', () => {
  it('agents add: adds a stopped agent and says what to do next; --json parses; a taken name exits 1 with 409', async () => {
    const added = await operator.run([
      'agents',
      'add',
      'CLI Agent',
      '--description',
      'made in a terminal',
      '--heartbeat',
      '15',
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added agent CLI Agent \(desired stopped\)\.\nNext: give its worker a token — agent-status tokens issue "CLI Agent"\n$/,
    );
    const json = await operator.run(['agents', 'add', 'CLI JSON Agent', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      agent_name: 'CLI JSON Agent',
      id: expect.any(String),
      desired_state: 'stopped',
      generation: 0,
    });
    const again = await operator.run(['agents', 'add', 'CLI Agent', '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toEqual({
      error: { code: 'agent_exists', message: 'An agent named "CLI Agent" already exists. (HTTP 409)', status: 409 },
    });
  });

  it("a viewer exits 1 with the function's 403 message, and nothing changes", async () => {
    for (const args of [
      ['agents', 'add', 'Viewer Agent'],
      ['agents', 'delete', 'CLI Agent', '--yes'],
      ['tokens', 'issue', 'CLI Agent'],
    ]) {
      const refused = await viewer.run(args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr).toMatch(/Only operators can do this\. .*\(HTTP 403\)/);
    }
    expect((await viewer.run(['tokens', 'list', 'CLI Agent', '--json'])).stdout).toContain('"tokens":[]');
  });

  it('tokens issue prints the token once with the environment; it works; tokens list shows it without the token', async () => {
    const issued = await operator.run(['tokens', 'issue', 'CLI Agent', '--label', 'build box']);
    expect(issued.code).toBe(0);
    const token = /^ {2}(ast_[0-9a-f]{64})$/m.exec(issued.stdout)![1];
    expect(issued.stdout).toMatch(/shown this once/);
    expect(issued.stdout).toContain(`  SUPABASE_URL=${stack.url}\n`);
    expect(issued.stdout).toContain(`  AGENT_TOKEN=${token}\n`);
    expect(await report(token)).toEqual({ agent: 'CLI Agent' });

    const list = await operator.run(['tokens', 'list', 'CLI Agent']);
    expect(list.stdout).toMatch(/^ID\s+LABEL\s+CREATED\s+BY\s+LAST USED\s+STATUS$/m);
    expect(list.stdout).toMatch(
      /build box\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+cli-registry-operator@example\.com\s+\S.*active$/m,
    );
    expect(list.stdout).not.toContain(token);
    const json = JSON.parse((await operator.run(['tokens', 'list', 'CLI Agent', '--json'])).stdout);
    expect(json).toEqual({
      agent: 'CLI Agent',
      tokens: [expect.objectContaining({ label: 'build box', created_by_email: OPERATOR.email, revoked_at: null })],
    });
    expect((await operator.run(['tokens', 'list', 'Nobody'])).code).toBe(1);
  });

  it('tokens revoke: the worker is refused at once; an unknown id exits 1', async () => {
    const issued = JSON.parse((await operator.run(['tokens', 'issue', 'CLI Agent', '--json'])).stdout);
    expect(await report(issued.token)).toEqual({ agent: 'CLI Agent' });
    const revoked = await operator.run(['tokens', 'revoke', issued.token_id]);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked token ${issued.token_id}.\n` });
    expect(await report(issued.token)).toEqual({ error: 'PT401' });
    const unknown = await operator.run(['tokens', 'revoke', '00000000-0000-4000-8000-000000000999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/There is no agent token with id .* \(HTTP 404\)/);
  });

  it('agents update renames and changes settings; the token follows the rename; --json parses', async () => {
    const issued = JSON.parse((await operator.run(['tokens', 'issue', 'CLI Agent', '--json'])).stdout);
    const renamed = await operator.run([
      'agents',
      'update',
      'CLI Agent',
      '--name',
      'CLI Renamed',
      '--description',
      '',
      '--offline-after',
      '90',
    ]);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toBe(
      'Renamed CLI Agent to CLI Renamed:\n  description     —\n  heartbeat       every 15 s\n  offline after   90 s\n',
    );
    expect(await report(issued.token)).toEqual({ agent: 'CLI Renamed' });
    const json = JSON.parse(
      (await operator.run(['agents', 'update', 'CLI Renamed', '--offline-after', 'default', '--json'])).stdout,
    );
    expect(json).toMatchObject({
      agent_name: 'CLI Renamed',
      offline_after_seconds: null,
      effective_offline_after_seconds: 45,
    });
    const events = (await operator.run(['events', 'CLI Renamed'])).stdout;
    expect(events).toMatch(/created\s+agent added by cli-registry-operator@example\.com/);
    expect(events).toMatch(
      /updated\s+renamed from "CLI Agent" to "CLI Renamed"; description removed; offline after the default → 90 s by /,
    );
    const outOfRange = await operator.run(['agents', 'update', 'CLI Renamed', '--heartbeat', '0']);
    expect(outOfRange.code).toBe(1);
    expect(outOfRange.stderr).toMatch(
      /"heartbeat_interval_seconds" must be between 1 and 3600 seconds, got 0\. \(HTTP 400\)/,
    );
  });

  it('agents delete --yes removes it; its token is refused; deleting again exits 1 with 404', async () => {
    const issued = JSON.parse((await operator.run(['tokens', 'issue', 'CLI Renamed', '--json'])).stdout);
    const deleted = await operator.run(['agents', 'delete', 'CLI Renamed', '--yes', '--json']);
    expect(JSON.parse(deleted.stdout)).toEqual({ agent_name: 'CLI Renamed', deleted: true });
    expect(await report(issued.token)).toEqual({ error: 'PT401' });
    const again = await operator.run(['agents', 'delete', 'CLI Renamed', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/There is no agent named "CLI Renamed"\. \(HTTP 404\)/);
    const status = JSON.parse((await operator.run(['status', '--json'])).stdout);
    expect(status.agents.map((a: { name: string }) => a.name)).not.toContain('CLI Renamed');
  });
});
