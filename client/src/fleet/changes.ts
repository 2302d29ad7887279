// The fleet's changes as Realtime pushes them, under RLS: agent_events inserts (transitions, with the
// agent's row as `snapshot`) and agent_desired_state updates (accepted commands). Plain heartbeats are
// not pushed (each would be a metered message), so a view that shows heartbeat ages reads the fleet
// again from time to time. Realtime reconnects by itself; `onStatus` says whether changes flow, so the
// caller can read the fleet whole when they flow again and poll while they do not.
import type { RealtimeChannel } from '@supabase/supabase-js';
import type { AgentEventRow, DesiredStateRow } from '@agent-status/domain';
import type { ProjectClient } from '../invoke.ts';

export type ChangesStatus = 'live' | 'down';

export interface ChangeHandlers {
  onEvent?(event: AgentEventRow): void;
  /** Only with `desiredState: true`. */
  onDesiredState?(row: DesiredStateRow): void;
  /** 'live' once subscribed; 'down' when the channel failed, timed out or closed. */
  onStatus?(status: ChangesStatus): void;
}

export interface ChangesOptions {
  /** The channel's name (one per view of a client). */
  channel: string;
  /** Only this agent's events. */
  agentId?: string;
  /** Desired-state updates too. */
  desiredState?: boolean;
}

/** Subscribes; resolves the returned function to unsubscribe. */
export function subscribeChanges(
  client: ProjectClient,
  handlers: ChangeHandlers,
  options: ChangesOptions,
): () => Promise<void> {
  const filter = options.agentId ? { filter: `agent_id=eq.${options.agentId}` } : {};
  let channel: RealtimeChannel = client
    // Private: Realtime Authorization (a policy on realtime.messages) lets signed-in readers join it and
    // nobody broadcast into it.
    .channel(options.channel, { config: { private: true } })
    .on<AgentEventRow>(
      'postgres_changes',
      { event: 'INSERT', schema: 'public', table: 'agent_events', ...filter },
      (payload) => handlers.onEvent?.(payload.new),
    );
  if (options.desiredState) {
    channel = channel.on<DesiredStateRow>(
      'postgres_changes',
      { event: 'UPDATE', schema: 'public', table: 'agent_desired_state' },
      (payload) => handlers.onDesiredState?.(payload.new),
    );
  }
  channel.subscribe((status) => handlers.onStatus?.(status === 'SUBSCRIBED' ? 'live' : 'down'));
  return async () => {
    await client.removeChannel(channel).catch(() => undefined);
  };
}
