// Watching an agent's live log, for the dashboard, the CLI and any tool of a signed-in viewer or operator:
// subscribe to the private topic agent-logs:<agent_id> first (Realtime Authorization lets viewers and
// operators in), then ask for a watch (watch_agent_logs, with the backlog) and renew it until stopped. The
// worker sends its backlog, then new lines; when every watcher has stopped, it stops within the watch's
// expiry. `collectLogBacklog` is the bounded form: watch, take the backlog, stop (`agent-status logs`
// without --follow, and an MCP tool's snapshot).
import type { RealtimeChannel } from '@supabase/supabase-js';
import { LOG_WATCH_RENEW_MS, LOG_WATCH_SECONDS, logTopic } from '@agent-status/domain';
import type { ProjectClient } from './invoke.ts';
import { batchLines, emptyLogLines, mergeBatch, type LogLines, type ShownLine } from './log-lines.ts';
import { restResult, type Failure, type Result } from './result.ts';

/**
 * connecting: joining the topic; waiting: watching, no word from the worker yet; live: the worker answered
 * (a batch arrived); unavailable: the topic or the watch was refused, or the connection is down (`failure`
 * says why; a dropped connection is retried by supabase-js, and the watch asked again when it is back).
 */
export type LogWatchState = 'connecting' | 'waiting' | 'live' | 'unavailable';

export interface LogBatchReceived {
  instance: string;
  lines: ShownLine[];
  /** The last batch of a backlog the worker sent (also when its buffer was empty). */
  backlogEnd: boolean;
}

export interface LogWatchOptions {
  onBatch(batch: LogBatchReceived): void;
  onState?(state: LogWatchState, failure?: Failure): void;
  /** How long each watch request runs (5–300 s). Default LOG_WATCH_SECONDS. */
  seconds?: number;
  /** How often it is renewed. Default LOG_WATCH_RENEW_MS. */
  renewMs?: number;
}

export interface LogWatch {
  /** Stops renewing and leaves the topic; the worker stops sending within the watch's expiry. */
  stop(): Promise<void>;
}

function refused(code: string, message: string): Failure {
  return { code, message, status: 0 };
}

export function watchAgentLogs(client: ProjectClient, agentId: string, options: LogWatchOptions): LogWatch {
  const seconds = options.seconds ?? LOG_WATCH_SECONDS;
  const renewMs = options.renewMs ?? LOG_WATCH_RENEW_MS;
  let state: LogWatchState | undefined;
  let renewTimer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  const setState = (next: LogWatchState, failure?: Failure) => {
    if (stopped || (next === state && !failure)) return;
    state = next;
    options.onState?.(next, failure);
  };

  const watch = async (backlog: boolean): Promise<Result<unknown>> =>
    restResult(
      await client.rpc('watch_agent_logs', { p_agent_id: agentId, p_backlog: backlog, p_seconds: seconds }).then(
        (response) => response,
        (error: unknown) => ({
          data: null,
          error: { message: error instanceof Error ? error.message : String(error), code: 'unreachable' },
          status: 0,
        }),
      ),
    );

  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  async function startWatching() {
    clearTimeout(retryTimer);
    const first = await watch(true);
    if (stopped) return;
    if (!first.ok) {
      setState('unavailable', first.error);
      // The server was away (no answer, 5xx): ask again; a refusal (403, 404, 400) stays until stopped.
      if (first.error.status === 0 || first.error.status >= 500)
        retryTimer = setTimeout(() => void startWatching(), renewMs);
      return;
    }
    if (state !== 'live') setState('waiting');
    if (renewTimer) clearInterval(renewTimer);
    renewTimer = setInterval(() => void watch(false), renewMs);
  }

  setState('connecting');
  const channel: RealtimeChannel = client
    .channel(logTopic(agentId), { config: { private: true } })
    .on('broadcast', { event: 'lines' }, ({ payload }) => {
      if (stopped) return;
      const { instance } = (payload ?? {}) as { instance?: unknown };
      if (typeof instance !== 'string') return;
      setState('live');
      options.onBatch({
        instance,
        lines: batchLines(payload),
        backlogEnd: (payload as { backlog_end?: unknown }).backlog_end === true,
      });
    })
    .subscribe((status, error) => {
      if (stopped) return;
      if (status === 'SUBSCRIBED') {
        // Joined (or joined again after a drop): ask for a watch with the backlog, so nothing is missed.
        void startWatching();
      } else if (status === 'CHANNEL_ERROR') {
        setState(
          'unavailable',
          refused('channel_error', error?.message || 'the live log could not be joined (signed out, or no access)'),
        );
      } else if (status === 'TIMED_OUT') {
        setState('unavailable', refused('timed_out', 'Realtime did not answer; retrying'));
      }
    });

  return {
    async stop() {
      stopped = true;
      if (renewTimer) clearInterval(renewTimer);
      clearTimeout(retryTimer);
      await client.removeChannel(channel).catch(() => undefined);
    },
  };
}

export interface LogBacklog {
  /** The lines the worker had, oldest first. */
  lines: ShownLine[];
  /** False when the worker did not answer within the wait (offline, an SDK without live logs). */
  complete: boolean;
}

/**
 * Watches until the worker's backlog has arrived (or `timeoutMs` passed), then stops: a bounded snapshot of
 * an agent's recent lines. The Failure when the topic or the watch was refused.
 */
export function collectLogBacklog(
  client: ProjectClient,
  agentId: string,
  options: { timeoutMs?: number; seconds?: number } = {},
): Promise<Result<LogBacklog>> {
  return new Promise((resolve) => {
    let lines: LogLines = emptyLogLines;
    let done = false;
    const finish = (result: Result<LogBacklog>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void watching.stop().then(() => resolve(result));
    };
    const timer = setTimeout(
      () => finish({ ok: true, value: { lines: [...lines.lines], complete: false } }),
      options.timeoutMs ?? 15_000,
    );
    const watching = watchAgentLogs(client, agentId, {
      seconds: options.seconds ?? 10,
      onBatch(batch) {
        lines = mergeBatch(lines, { instance: batch.instance, lines: batch.lines });
        if (batch.backlogEnd) finish({ ok: true, value: { lines: [...lines.lines], complete: true } });
      },
      onState(state, failure) {
        if (state === 'unavailable' && failure && failure.code !== 'timed_out') finish({ ok: false, error: failure });
      },
    });
  });
}
