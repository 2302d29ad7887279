// Realtime through the whole stack: real supabase-js clients signed in through /auth/v1, commands
// through /rest/v1 RPCs, changes pushed over /realtime/v1/websocket with RLS deciding who sees what.
import { randomUUID } from 'node:crypto';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

interface Change {
  eventType: string;
  schema: string;
  table: string;
  commit_timestamp: string;
  new: Record<string, unknown>;
  old: Record<string, unknown>;
}
type Binding = { event: '*' | 'INSERT' | 'UPDATE' | 'DELETE'; table: string; filter?: string };

const COMMAND_BINDINGS: Binding[] = [
  { event: 'INSERT', table: 'agent_events' },
  { event: 'UPDATE', table: 'agent_desired_state' },
];

async function subscribe(client: SupabaseClient, bindings: Binding[] = COMMAND_BINDINGS) {
  const received: Change[] = [];
  let channel: RealtimeChannel = client.channel(`agents-${randomUUID()}`);
  for (const binding of bindings) {
    channel = channel.on('postgres_changes' as never, { schema: 'public', ...binding } as never, (change: Change) =>
      received.push(change),
    );
  }
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, error) => (status === 'SUBSCRIBED' ? resolve() : reject(error ?? new Error(status)))),
  );
  return { channel, received };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
/** Every subscriber gets a change in the same fan-out; this covers the rest of it reaching the socket. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe.each(databases)('stack Realtime on $name', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient;
  let operator: SupabaseClient;
  let viewer: SupabaseClient;
  let noRole: SupabaseClient;
  let anon: SupabaseClient;
  const agentIds = new Map<string, string>();
  const all: SupabaseClient[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    const api = clients(stack);
    service = api.service;
    anon = api.anon;
    const password = 'correct horse battery staple';
    await createUser(stack, { email: 'operator@example.com', password, role: 'operator' });
    await createUser(stack, { email: 'viewer@example.com', password, role: 'viewer' });
    await createUser(stack, { email: 'nobody@example.com', password });
    operator = await api.signIn('operator@example.com', password);
    viewer = await api.signIn('viewer@example.com', password);
    noRole = await api.signIn('nobody@example.com', password);
    all.push(service, anon, operator, viewer, noRole);
    const { data, error } = await service.from('agent_status').select('id, agent_name');
    if (error) throw error;
    for (const row of data) agentIds.set(row.agent_name, row.id);
  });

  afterAll(async () => {
    await Promise.all(all.map((c) => c.removeAllChannels()));
    await stack?.stop();
  });

  const command = async (p_command: string, p_agent_name: string) => {
    const { error } = await service.rpc('command_agents', { p_command, p_agent_name });
    if (error) throw error;
  };
  const heartbeat = async (p_agent_name: string) => {
    const { error } = await service.rpc('agent_report', { p_kind: 'heartbeat', p_agent_name });
    if (error) throw error;
  };

  it('delivers a command to an operator and a viewer, and nothing to anon or a user without a role', async () => {
    const toOperator = await subscribe(operator);
    const toViewer = await subscribe(viewer);
    // Anon may not select these tables: refused at join (it used to join and receive nothing).
    await expect(subscribe(anon)).rejects.toThrow(
      /permission denied for table public\.agent_(events|desired_state): role anon/,
    );
    const toAnon = { received: [] as unknown[] };
    const toNoRole = await subscribe(noRole);

    await command('start', 'Blog Generator');
    await waitFor(() => toOperator.received.length === 2 && toViewer.received.length === 2, 'operator and viewer');
    await settle();

    const agentId = agentIds.get('Blog Generator');
    for (const { received } of [toOperator, toViewer]) {
      expect(received.find((c) => c.table === 'agent_desired_state')).toMatchObject({
        eventType: 'UPDATE',
        schema: 'public',
        new: { agent_id: agentId, desired_state: 'running', last_command: 'start', requested_by_email: 'service_role' },
        old: { agent_id: agentId },
      });
      expect(received.find((c) => c.table === 'agent_events')).toMatchObject({
        eventType: 'INSERT',
        new: { agent_id: agentId, kind: 'command', command: 'start' },
      });
    }
    expect(toAnon.received).toEqual([]);
    expect(toNoRole.received).toEqual([]);
  });

  it('filters on the server: agent_id=eq.<uuid> only delivers that agent', async () => {
    const tweetId = agentIds.get('Tweet Scheduler')!;
    const filtered = await subscribe(operator, [
      { event: 'UPDATE', table: 'agent_desired_state', filter: `agent_id=eq.${tweetId}` },
    ]);
    const unfiltered = await subscribe(viewer, [{ event: 'UPDATE', table: 'agent_desired_state' }]);
    await command('start', 'Content Collector');
    await command('start', 'Tweet Scheduler');
    await waitFor(() => unfiltered.received.length === 2 && filtered.received.length === 1, 'the updates');
    await settle();
    expect(filtered.received.map((c) => c.new.agent_id)).toEqual([tweetId]);
  });

  it('pushes no message for a plain heartbeat', async () => {
    const watcher = await subscribe(operator, [
      { event: '*', table: 'agent_events' },
      { event: '*', table: 'agent_desired_state' },
    ]);
    await heartbeat('Account Manager');
    await heartbeat('Account Manager');
    // A command afterwards proves the feed is live: it must be the first thing that arrives.
    await command('stop', 'Account Manager');
    await waitFor(() => watcher.received.length === 2, 'the command');
    await settle();
    expect(watcher.received.map((c) => c.table).sort()).toEqual(['agent_desired_state', 'agent_events']);
  });

  it('stops delivering after unsubscribe', async () => {
    const leaving = await subscribe(operator);
    const staying = await subscribe(viewer);
    expect(await leaving.channel.unsubscribe()).toBe('ok');
    await command('restart', 'Engagement Analyzer');
    await waitFor(() => staying.received.length === 2, 'the staying subscriber');
    await settle();
    expect(leaving.received).toEqual([]);
  });

  it('keeps delivering after the access token is refreshed', async () => {
    const subscription = await subscribe(viewer);
    const { data, error } = await viewer.auth.refreshSession();
    if (error) throw error;
    // supabase-js hands the new token to Realtime (access_token push) when the session changes.
    await waitFor(
      () => viewer.realtime.accessTokenValue === data.session?.access_token,
      'the new token in realtime-js',
    );
    await settle();
    await command('stop', 'Blog Generator');
    await waitFor(() => subscription.received.length === 2, 'delivery after refresh');
  });

  it('refuses a table outside the publication with a reason', async () => {
    await expect(subscribe(operator, [{ event: '*', table: 'agent_status' }])).rejects.toThrow(
      /not in the supabase_realtime publication/,
    );
  });
});
