// A viewer of an agent's live log as the specs need one: subscribes to the private topic
// agent-logs:<agent_id> with a signed-in user's client, then asks for a watch (watch_agent_logs) and
// renews it, recording every batch with its arrival time. Stopping leaves the channel and stops renewing.
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';

export interface ReceivedLine {
  seq: number;
  at: string;
  level: string;
  text: string;
  fields?: Record<string, unknown>;
}
export interface ReceivedBatch {
  instance: string;
  lines: ReceivedLine[];
  backlog_end?: boolean;
  receivedAt: number;
}

export interface LogViewer {
  batches: ReceivedBatch[];
  /** Every line received, once (by instance and sequence number), in arrival order. */
  lines(): ReceivedLine[];
  texts(): string[];
  /** The channel's states, as realtime-js reported them. */
  states: string[];
  /** Tries to broadcast on the topic as this client (what Realtime Authorization must refuse). */
  send(event: string, payload: unknown): Promise<string>;
  stop(): Promise<void>;
}

export async function watchLogs(
  client: SupabaseClient,
  agentId: string,
  options: { seconds?: number; renewMs?: number; watch?: boolean } = {},
): Promise<LogViewer> {
  const batches: ReceivedBatch[] = [];
  const states: string[] = [];
  const channel: RealtimeChannel = client.channel(`agent-logs:${agentId}`, { config: { private: true } });
  channel.on('broadcast', { event: 'lines' }, (message) =>
    batches.push({ ...(message.payload as Omit<ReceivedBatch, 'receivedAt'>), receivedAt: Date.now() }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('subscription timed out')), 10_000);
    channel.subscribe((status, error) => {
      states.push(status);
      if (status === 'SUBSCRIBED') {
        clearTimeout(timer);
        resolve();
      } else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
        clearTimeout(timer);
        reject(new Error(`${status}: ${error?.message ?? ''}`));
      }
    });
  });
  let renew: ReturnType<typeof setInterval> | undefined;
  if (options.watch !== false) {
    const watch = (backlog: boolean) =>
      client.rpc('watch_agent_logs', { p_agent_id: agentId, p_backlog: backlog, p_seconds: options.seconds ?? 30 });
    const first = await watch(true);
    if (first.error) throw new Error(`watch_agent_logs: ${first.error.message}`);
    renew = setInterval(() => void watch(false), options.renewMs ?? 10_000);
  }
  const lines = () => {
    const seen = new Set<string>();
    return batches
      .flatMap((batch) => batch.lines.map((line) => ({ line, key: `${batch.instance}:${line.seq}` })))
      .filter(({ key }) => !seen.has(key) && seen.add(key))
      .map(({ line }) => line);
  };
  return {
    batches,
    states,
    lines,
    texts: () => lines().map((line) => line.text),
    send: (event, payload) => channel.send({ type: 'broadcast', event, payload }),
    async stop() {
      if (renew) clearInterval(renew);
      await client.removeChannel(channel);
    },
  };
}
