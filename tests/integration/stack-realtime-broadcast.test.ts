// Push wake-up: a desired-state change reaches the agent's worker as a Broadcast sent from the
// database with realtime.send(), as on hosted Supabase.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { clients, databases, startTestStack, type RunningStack } from '../support/stack.ts';

describe.each(databases)('database broadcast on $name', ({ databaseUrl }) => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
  });
  afterAll(() => stack?.stop());

  async function subscribe(topic: string, received: unknown[]): Promise<RealtimeChannel> {
    // Wake-ups travel on private channels: workers may read them, no client may send them.
    const channel = clients(stack).anon.channel(topic, { config: { private: true } });
    channel.on('broadcast', { event: 'desired_state' }, (message) => received.push(message.payload));
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' && reject(new Error(status)),
      ),
    );
    return channel;
  }

  it('a command that changes the generation wakes exactly that agent', async () => {
    const { service } = clients(stack);
    const { data: rows } = await service
      .from('agent_status')
      .select('id, agent_name')
      .in('agent_name', ['Blog Generator', 'Tweet Scheduler']);
    const blog = rows!.find((r) => r.agent_name === 'Blog Generator')!;
    const tweet = rows!.find((r) => r.agent_name === 'Tweet Scheduler')!;
    const blogMessages: unknown[] = [];
    const tweetMessages: unknown[] = [];
    const channels = [
      await subscribe(`agent-wakeup:${blog.id}`, blogMessages),
      await subscribe(`agent-wakeup:${tweet.id}`, tweetMessages),
    ];

    const { data, error } = await service.rpc('command_agents', { p_command: 'start', p_agent_name: 'Blog Generator' });
    expect(error).toBeNull();
    await expect.poll(() => blogMessages.length, { timeout: 5000 }).toBe(1);
    expect(blogMessages[0]).toEqual({ generation: data![0].generation, desired_state: 'running' });
    expect(tweetMessages).toEqual([]);

    // Idempotent start: no new generation, so no wake-up either.
    await service.rpc('command_agents', { p_command: 'start', p_agent_name: 'Blog Generator' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(blogMessages).toHaveLength(1);
    await Promise.all(channels.map((channel) => channel.unsubscribe()));
  });

  it('a message larger than a notification (8,000 bytes) arrives whole and in order, and nothing stays in realtime.messages', async () => {
    const channel = clients(stack).service.channel('big-broadcasts', { config: { private: true } });
    const received: Array<{ n: number; text: string }> = [];
    channel.on('broadcast', { event: 'chunk' }, (message) =>
      received.push(message.payload as { n: number; text: string }),
    );
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' && reject(new Error(status)),
      ),
    );
    const sizes = [10, 200_000, 20, 9_000, 30];
    for (const [n, size] of sizes.entries()) {
      await stack.db.query(
        `select realtime.send(jsonb_build_object('n', $1::int, 'text', repeat('x', $2::int)), 'chunk', 'big-broadcasts', true)`,
        [n, size],
      );
    }
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(sizes.length);
    expect(received.map((m) => [m.n, m.text.length])).toEqual([...sizes.entries()]);
    const left = await stack.db.query<{ n: number }>('select count(*)::int as n from realtime.messages');
    expect(left.rows[0].n).toBe(0);
    await channel.unsubscribe();
  });
});
