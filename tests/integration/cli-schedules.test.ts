// `agent-status schedules list|add|remove` as operators run it — the built bin in its own process with a
// config directory of its own — against the real stack: windows and cron schedules for an agent or a tag,
// --json that parses, the database's own messages for what it refuses (exit 1), usage errors (exit 2),
// and a viewer who may list but not change.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome, type CliHome } from '../support/cli.ts';
import { clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = {
  email: 'cli-schedules-operator@example.com',
  password: 'cli-schedules-operator-pw',
  role: 'operator',
};
const VIEWER = { email: 'cli-schedules-viewer@example.com', password: 'cli-schedules-viewer-pw', role: 'viewer' };
/** The CLI's times are in the machine's zone; these tests read them in UTC. */
const UTC = { TZ: 'UTC' };

let stack: RunningStack;
let service: SupabaseClient;
let operator: CliHome;
let viewer: CliHome;

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  await createUser(stack, OPERATOR);
  await createUser(stack, VIEWER);
  const project = { SUPABASE_URL: stack.url, ...publicKeyEnv(stack) };
  operator = cliHome(project);
  viewer = cliHome(project);
  expect((await operator.run(['login', '--email', OPERATOR.email, '--password', OPERATOR.password])).code).toBe(0);
  expect((await viewer.run(['login', '--email', VIEWER.email, '--password', VIEWER.password])).code).toBe(0);
  const { error } = await service.rpc('tag_agents', {
    p_agent_names: ['Blog Generator', 'Content Collector'],
    p_add: ['batch'],
  });
  expect(error).toBeNull();
});

afterAll(async () => {
  operator?.remove();
  viewer?.remove();
  await stack?.stop();
});

describe('usage', () => {
  it.each([
    [['schedules'], /schedules needs a subcommand[\s\S]*schedules add/],
    [['schedules', 'add'], /missing <name>/],
    [['schedules', 'add', 'office', '--window', 'Mon-Fri 08:00-20:00'], /give --agent <name> or --tag <tag>/],
    [
      ['schedules', 'add', 'office', '--agent', 'X', '--tag', 'y', '--window', 'Mon 08:00-09:00'],
      /give --agent <name> or --tag <tag>/,
    ],
    [
      ['schedules', 'add', 'office', '--agent', 'X'],
      /give --window "<days> <HH:MM>-<HH:MM>", or both --cron-open and --cron-close/,
    ],
    [
      ['schedules', 'add', 'office', '--agent', 'X', '--cron-open', '0 8 * * *'],
      /or both --cron-open and --cron-close/,
    ],
    [
      ['schedules', 'add', 'office', '--agent', 'X', '--window', 'Mon 08:00-09:00', '--cron-open', '0 8 * * *'],
      /not both/,
    ],
    [
      ['schedules', 'add', 'office', '--agent', 'X', '--window', 'Mon-Fry 08:00-20:00'],
      /--window: "Mon-Fry" is not a day/,
    ],
    [
      ['schedules', 'add', 'office', '--agent', 'X', '--window', 'Mon 08:00'],
      /--window: a window is days and a time range/,
    ],
    [
      ['schedules', 'add', 'Office Hours', '--agent', 'X', '--window', 'Mon 08:00-09:00'],
      /"Office Hours" is not a schedule name/,
    ],
    [
      ['schedules', 'add', 'office', '--agent', 'X', '--window', 'Mon 08:00-09:00', '--state', 'paused'],
      /--state must be running or stopped/,
    ],
    [['schedules', 'remove'], /missing <name>/],
  ])('agent-status %j exits 2 with help', async (args, message) => {
    const result = await operator.run(args as string[]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('operators', () => {
  it('add a window for an agent, in a named zone; it acts from its next boundary', async () => {
    const result = await operator.run(
      [
        'schedules',
        'add',
        'tweets-office',
        '--agent',
        'Tweet Scheduler',
        '--window',
        'Mon–Fri 08:00–20:00',
        '--zone',
        'Europe/Berlin',
      ],
      UTC,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Added schedule tweets-office: running Mon–Fri 08:00–20:00 \(Europe\/Berlin\) for Tweet Scheduler\.\n/,
    );
    expect(result.stdout).toMatch(/Next: (starts|stops) .+ \(it acts from its next boundary, not now\)\./);
    const { data } = await service
      .from('agent_schedules')
      .select('days, start_time, end_time, time_zone, state, created_by_email')
      .eq('name', 'tweets-office')
      .single();
    expect(data).toEqual({
      days: [1, 2, 3, 4, 5],
      start_time: '08:00:00',
      end_time: '20:00:00',
      time_zone: 'Europe/Berlin',
      state: 'running',
      created_by_email: OPERATOR.email,
    });
  });

  it('add a cron schedule for a tag, stopped inside its window, with --json', async () => {
    const result = await operator.run([
      'schedules',
      'add',
      'batch-maintenance',
      '--tag',
      'batch',
      '--cron-open',
      '0 2 * * sun',
      '--cron-close',
      '0 4 * * sun',
      '--zone',
      'America/New_York',
      '--state',
      'stopped',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const added = JSON.parse(result.stdout);
    expect(added).toMatchObject({
      name: 'batch-maintenance',
      tag: 'batch',
      agent_count: 2,
      state: 'stopped',
      cron_open: '0 2 * * sun',
      cron_close: '0 4 * * sun',
      time_zone: 'America/New_York',
      enabled: true,
    });
    expect(new Date(added.next_change_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('the server refuses what it refuses, with its own message, exit 1', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['schedules', 'add', 'bad-cron', '--tag', 'batch', '--cron-open', '0 25 * * *', '--cron-close', '0 4 * * *'],
        /cron expression "0 25 \* \* \*": hour "25" is out of range 0–23/,
      ],
      [
        ['schedules', 'add', 'bad-zone', '--tag', 'batch', '--window', 'daily 08:00-09:00', '--zone', 'Mars/Base'],
        /time_zone "Mars\/Base" is not a named time zone/,
      ],
      [
        ['schedules', 'add', 'tweets-office', '--tag', 'batch', '--window', 'daily 08:00-09:00'],
        /a schedule named "tweets-office" already exists/,
      ],
      [['schedules', 'add', 'ghost', '--agent', 'Nobody', '--window', 'daily 08:00-09:00'], /unknown agent "Nobody"/],
    ];
    for (const [args, message] of cases) {
      const result = await operator.run(args);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.code, args.join(' ')).toBe(1);
    }
    const json = await operator.run([...cases[0][0], '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: '22023', status: 400 });
  });

  it('list shows every schedule, what it says now and its next change', async () => {
    const result = await operator.run(['schedules', 'list'], UTC);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+COVERS\s+WINDOW\s+ZONE\s+NOW\s+NEXT$/);
    expect(lines[1]).toMatch(
      /^batch-maintenance\s+#batch \(2\)\s+stopped from cron "0 2 \* \* sun" to "0 4 \* \* sun"\s+America\/New_York\s+running\s+stops /,
    );
    expect(lines[2]).toMatch(
      /^tweets-office\s+Tweet Scheduler\s+running Mon–Fri 08:00–20:00\s+Europe\/Berlin\s+(running|stopped)\s+(starts|stops) /,
    );
    const json = JSON.parse((await operator.run(['schedules', 'list', '--json'])).stdout);
    expect(json.schedules.map((s: { name: string }) => s.name)).toEqual(['batch-maintenance', 'tweets-office']);
    const tagged = JSON.parse((await operator.run(['schedules', 'list', '--tag', 'batch', '--json'])).stdout);
    expect(tagged.schedules.map((s: { name: string }) => s.name)).toEqual(['batch-maintenance']);
  });

  it("list <agent> shows the schedules that cover it and its next change, or the operator's command that holds", async () => {
    const json = JSON.parse((await operator.run(['schedules', 'list', 'Content Collector', '--json'])).stdout);
    expect(json.schedules.map((s: { name: string }) => s.name)).toEqual(['batch-maintenance']);
    // seeded stopped, never commanded; the maintenance window stops it, so the next change is its close (start)
    expect(json.agent).toMatchObject({ name: 'Content Collector', desired_state: 'stopped', requested_by: null });
    expect(json.agent.next_change).toMatchObject({ state: 'running', schedule: 'batch-maintenance' });
    const text = await operator.run(['schedules', 'list', 'Content Collector'], UTC);
    expect(text.stdout.split('\n')[0]).toMatch(/^Content Collector: stopped; next: starts .+ \(batch-maintenance\)\.$/);

    // Outside its window the maintenance schedule says running: an operator's stop holds against it until
    // the window's close (its opening keeps the agent stopped), when the schedule starts it.
    await operator.run(['stop', 'Content Collector']);
    const held = await operator.run(['schedules', 'list', 'Content Collector'], UTC);
    expect(held.stdout.split('\n')[0]).toMatch(
      /^Content Collector: stopped by cli-schedules-operator until .+ \(then batch-maintenance starts it\)\.$/,
    );
    const none = await operator.run(['schedules', 'list', 'Account Manager']);
    expect(none.stdout).toMatch(/^Account Manager: no scheduled change\.\nNo schedules\./);
    const unknown = await operator.run(['schedules', 'list', 'Nobody']);
    expect(unknown.stderr).toMatch(/unknown agent "Nobody"/);
    expect(unknown.code).toBe(1);
  });

  it('remove deletes a schedule; removing it again says there is none', async () => {
    const removed = await operator.run(['schedules', 'remove', 'batch-maintenance', '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ name: 'batch-maintenance', removed: true });
    const again = await operator.run(['schedules', 'remove', 'batch-maintenance']);
    expect(again.stderr).toMatch(/no schedule named "batch-maintenance"/);
    expect(again.code).toBe(1);
  });
});

describe('viewers', () => {
  it('list, but neither add nor remove', async () => {
    const list = await viewer.run(['schedules', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).schedules.map((s: { name: string }) => s.name)).toEqual(['tweets-office']);
    const add = await viewer.run(['schedules', 'add', 'viewer-try', '--tag', 'batch', '--window', 'daily 08:00-09:00']);
    expect(add.stderr).toMatch(/adding schedule viewer-try: new row violates row-level security policy/);
    expect(add.code).toBe(1);
    const remove = await viewer.run(['schedules', 'remove', 'tweets-office']);
    expect(remove.stderr).toMatch(/only operators can remove schedules/);
    expect(remove.code).toBe(1);
    const { count } = await service.from('agent_schedules').select('*', { count: 'exact', head: true });
    expect(count).toBe(1);
  });
});
