// Live changes of the fleet from Realtime — the channel the dashboard uses: agent_events inserts and
// agent_desired_state updates, under RLS — with polling only while Realtime is unavailable.
import type { RealtimeChannel } from '@supabase/supabase-js';
import type { Client } from './client.ts';
import type { AgentEventRow, DesiredStateRow } from './fleet.ts';

export type LiveMode = 'connecting' | 'live' | 'polling';

export interface LiveHandlers {
  onEvent(event: AgentEventRow): void;
  onDesiredState(row: DesiredStateRow): void;
  onMode(mode: LiveMode): void;
  /** Called every pollMs while Realtime is down, and once when it comes (back) up. */
  resync(): Promise<void>;
}

export interface LiveOptions {
  /** Only this agent's events (eq filter), e.g. for `events --follow`. */
  agentId?: string;
  withDesiredState?: boolean;
  pollMs?: number;
  /** How long to wait for the subscription before polling meanwhile. */
  connectTimeoutMs?: number;
}

export function subscribeLive(client: Client, handlers: LiveHandlers, options: LiveOptions = {}): () => Promise<void> {
  const { pollMs = 3000, connectTimeoutMs = 5000 } = options;
  let mode: LiveMode = 'connecting';
  let pollTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const setMode = (next: LiveMode) => {
    if (next === mode) return;
    mode = next;
    handlers.onMode(next);
  };
  const poll = () => {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(async () => {
      if (closed || mode === 'live') return;
      await handlers.resync().catch(() => undefined);
      poll();
    }, pollMs);
  };
  const connectTimer = setTimeout(() => {
    if (mode === 'connecting') {
      setMode('polling');
      poll();
    }
  }, connectTimeoutMs);

  const filter = options.agentId ? { filter: `agent_id=eq.${options.agentId}` } : {};
  let channel: RealtimeChannel = client
    // Private, like the dashboard's: signed-in readers may join it, nobody may broadcast into it.
    .channel(`agent-status-cli-${options.agentId ?? 'fleet'}`, { config: { private: true } })
    .on<AgentEventRow>(
      'postgres_changes',
      { event: 'INSERT', schema: 'public', table: 'agent_events', ...filter },
      (payload) => handlers.onEvent(payload.new),
    );
  if (options.withDesiredState) {
    channel = channel.on<DesiredStateRow>(
      'postgres_changes',
      { event: 'UPDATE', schema: 'public', table: 'agent_desired_state' },
      (payload) => handlers.onDesiredState(payload.new),
    );
  }
  channel.subscribe((status) => {
    if (closed) return;
    if (status === 'SUBSCRIBED') {
      const wasDown = mode !== 'live';
      clearTimeout(connectTimer);
      clearTimeout(pollTimer);
      setMode('live');
      // Whatever happened while the channel was down (or before it was up) comes from one read.
      if (wasDown) void handlers.resync().catch(() => undefined);
    } else if (mode !== 'polling') {
      setMode('polling');
      poll();
    }
  });

  return async () => {
    closed = true;
    clearTimeout(connectTimer);
    clearTimeout(pollTimer);
    await client.removeChannel(channel).catch(() => undefined);
    client.realtime.disconnect();
  };
}
