// Live changes of the fleet (@agent-status/client's subscribeChanges: the channel the dashboard uses,
// agent_events inserts and agent_desired_state updates, under RLS), with polling only while Realtime is
// unavailable: a command that waits (--watch, --follow, --wait) says "polling" and reads every pollMs
// until the channel is up, and reads once more when it comes (back) up.
import { subscribeChanges } from '@agent-status/client';
import type { AgentEventRow, DesiredStateRow } from '@agent-status/domain';
import type { Client } from './client.ts';

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

  const unsubscribe = subscribeChanges(
    client,
    {
      onEvent: handlers.onEvent,
      onDesiredState: handlers.onDesiredState,
      onStatus(status) {
        if (closed) return;
        if (status === 'live') {
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
      },
    },
    {
      channel: `agent-status-cli-${options.agentId ?? 'fleet'}`,
      agentId: options.agentId,
      desiredState: options.withDesiredState,
    },
  );

  return async () => {
    closed = true;
    clearTimeout(connectTimer);
    clearTimeout(pollTimer);
    await unsubscribe();
    client.realtime.disconnect();
  };
}
