// The stack under load in its own process (forked by run.ts), so that its memory is measured
// alone and the load generator does not share its event loop. Talks to the parent over IPC.
import { startStack } from '@agent-status/stack';
import { provisionAgents } from '@agent-status/tests/support/faults/provision.ts';

export type StackRequest =
  | { type: 'provision'; names: string[] }
  | { type: 'memory' }
  | { type: 'offline-events'; afterId: number }
  | { type: 'last-event-id' }
  | { type: 'stop' };

// SOAK_DATABASE_URL: a real Postgres instead of the default embedded PGlite.
const stack = await startStack({
  port: 0,
  databaseUrl: process.env.SOAK_DATABASE_URL || undefined,
  log: () => undefined,
});
const reply = (message: unknown) => process.send!(message);

process.on('message', async (message: StackRequest) => {
  try {
    if (message.type === 'provision') {
      reply({ type: 'provisioned', tokens: [...(await provisionAgents(stack.db, message.names))] });
    } else if (message.type === 'memory') {
      // After a full collection, so the figure is what the stack holds, not garbage not yet collected.
      (globalThis as { gc?: () => void }).gc?.();
      reply({ type: 'memory', usage: process.memoryUsage() });
    } else if (message.type === 'last-event-id') {
      const { rows } = await stack.db.query<{ id: number }>(
        'select coalesce(max(id), 0)::int as id from public.agent_events',
      );
      reply({ type: 'last-event-id', id: rows[0].id });
    } else if (message.type === 'offline-events') {
      const { rows } = await stack.db.query<{ n: number }>(
        `select count(*)::int as n from public.agent_events where kind = 'offline' and id > $1`,
        [message.afterId],
      );
      reply({ type: 'offline-events', count: rows[0].n });
    } else if (message.type === 'stop') {
      await stack.stop();
      process.exit(0);
    }
  } catch (error) {
    reply({ type: 'error', message: (error as Error).stack ?? String(error) });
  }
});

reply({ type: 'ready', url: stack.url, anonKey: stack.publishableKey ?? stack.anonKey, database: stack.db.kind });
