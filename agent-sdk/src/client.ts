// The low-level client: one call = one agent_report RPC (report and poll at once), plus the wake-up channel.
import {
  createClient,
  type RealtimeChannel,
  type SupabaseClient,
  type WebSocketLikeConstructor,
} from '@supabase/supabase-js';
import type { AgentConfig } from './config.ts';
import type { AgentStatus, ReportKind } from './constants.ts';
import type { Database } from '@agent-status/domain';
import type { CrashLogLine } from './log-buffer.ts';
import type { LogBatch, PublishResult } from './log-tail.ts';
import type { MetricsPayload } from './metrics.ts';
import { desiredFromRow, isRetryableStatus, type AgentReport, type ReportError, type ReportResult } from './result.ts';
import { inertText } from './truncate.ts';

export type AgentClientOptions = AgentConfig & {
  /** Replaces global fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** A request that has not answered after this long counts as a retryable TIMEOUT. Default 10 s. */
  requestTimeoutMs?: number;
};

export interface ReportInput {
  /** Required with the service role; with a token it is checked against the token's agent (PT403 on mismatch). */
  agentName?: string;
  message?: string;
  /** Omit to let the database apply its default for the kind (started 100, warning 75, error 30, stopped 0). */
  health?: number;
  /** The desired-state generation this agent has carried out. */
  observedGeneration?: number;
  info?: AgentInfo;
}

/** Sent as p_info (JSON): a type alias, not an interface, so that it is assignable to the generated Json. */
export type AgentInfo = {
  host?: string;
  pid?: number;
  version?: string;
  heartbeat_interval_seconds?: number;
  /** This run of the worker (instance.ts): the database records which instance holds the agent. */
  instance_id?: string;
  /** Sent until the first answer: a new instance takes the agent over from an older one (the newer wins). */
  instance_new?: boolean;
  /** On the final report of a clean exit: the instance lets go of the agent. */
  instance_exiting?: boolean;
  /** Custom metrics changed since the last accepted report (metrics.ts). */
  metrics?: MetricsPayload;
  /** What this worker last reported doing: its heartbeats and activity reports restate it. */
  state?: AgentStatus;
  /** With an error report: the last lines logged before it, kept with the error's event (crash context). */
  log_lines?: CrashLogLine[];
};

export type WakeupStatus = 'subscribed' | 'unavailable';

/** What the database trigger broadcasts on `agent-wakeup:<agent_id>`, event `desired_state`. */
export interface WakeupMessage {
  generation?: number;
}

/** What watch_agent_logs broadcasts on `agent-wakeup:<agent_id>`, event `logs`: a watch started or wants the backlog. */
export interface LogWatchMessage {
  watchSeconds: number | null;
  backlogRequest: number | null;
}

export interface AgentClient {
  report(kind: ReportKind, input?: ReportInput): Promise<ReportResult>;
  /** Calls onWake for every desired-state broadcast for this agent; onStatus tells whether the channel is up. */
  subscribeWakeup(
    agentId: string,
    onWake: (message: WakeupMessage) => void,
    onStatus?: (status: WakeupStatus) => void,
    onLogWatch?: (message: LogWatchMessage) => void,
  ): () => void;
  /** Sends a batch of log lines to the agent's live-log topic (publish_agent_logs); nothing is sent while nobody watches. */
  publishLogs(batch: LogBatch, input?: { agentName?: string }): Promise<PublishResult>;
  close(): Promise<void>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Realtime needs a WebSocket: Deno and browsers have one, Node 20 gets `ws`. */
async function webSocketTransport(): Promise<WebSocketLikeConstructor> {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function') return globalThis.WebSocket;
  const ws = await import('ws');
  // ws's first constructor overload (address: null, for server-side sockets) hides the client one from the
  // structural check; the client constructor is exactly what realtime-js calls.
  return ws.default as unknown as WebSocketLikeConstructor;
}

export function wakeupTopic(agentId: string): string {
  return `agent-wakeup:${agentId}`;
}

export function createAgentClient(options: AgentClientOptions): AgentClient {
  const url = options.url.replace(/\/+$/, '');
  // With a token the request is anon-level; the token itself travels as an RPC argument.
  const maybeKey = options.token ? options.anonKey : options.serviceRoleKey;
  if (!maybeKey) throw new Error('createAgentClient needs { token, anonKey } or { serviceRoleKey }');
  const apiKey: string = maybeKey;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let supabase: SupabaseClient<Database> | undefined;
  let transport: Promise<WebSocketLikeConstructor> | undefined;
  const channels = new Set<RealtimeChannel>();

  function client(realtimeTransport: WebSocketLikeConstructor): SupabaseClient<Database> {
    supabase ??= createClient<Database>(url, apiKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: options.fetch ? { fetch: options.fetch } : {},
      realtime: { transport: realtimeTransport },
    });
    return supabase;
  }

  /** One RPC with the request timeout; a transport failure or an error answer becomes a classified ReportError. */
  async function call<T>(
    send: (
      supabase: SupabaseClient<Database>,
      signal: AbortSignal,
    ) => PromiseLike<{
      data: T | null;
      error: { code?: string; message: string } | null;
      status: number;
    }>,
  ): Promise<{ ok: true; data: T | null; status: number } | { ok: false; error: ReportError }> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response;
    try {
      response = await send(client(await (transport ??= webSocketTransport())), timeout);
    } catch (error) {
      // postgrest-js rethrows aborts; everything else comes back as { error, status: 0 }.
      const timedOut = timeout.aborted;
      return {
        ok: false,
        error: {
          code: timedOut ? 'TIMEOUT' : 'NETWORK',
          message: timedOut ? `no answer within ${timeoutMs} ms` : String(error),
          status: 0,
          retryable: true,
        },
      };
    }
    const { data, error, status } = response;
    if (error) {
      const code = error.code || (status === 0 ? (timeout.aborted ? 'TIMEOUT' : 'NETWORK') : `HTTP_${status}`);
      // The server's words reach the worker's log and terminal: no control character of theirs gets through.
      const message = inertText(String(error.message ?? ''));
      return { ok: false, error: { code: inertText(code, 50), message, status, retryable: isRetryableStatus(status) } };
    }
    return { ok: true, data, status };
  }

  async function report(kind: ReportKind, input: ReportInput = {}): Promise<ReportResult> {
    const args: AgentReport['Args'] = { p_kind: kind };
    if (input.agentName !== undefined) args.p_agent_name = input.agentName;
    if (options.token) args.p_token = options.token;
    if (input.message !== undefined) args.p_message = input.message;
    if (input.health !== undefined) args.p_health = input.health;
    if (input.observedGeneration !== undefined) args.p_observed_generation = input.observedGeneration;
    if (input.info !== undefined) args.p_info = input.info;

    const result = await call((supabase, signal) => supabase.rpc('agent_report', args).abortSignal(signal));
    if (!result.ok) return result;
    const row = result.data?.[0];
    if (!row) {
      return {
        ok: false,
        error: { code: 'EMPTY', message: 'agent_report answered no row', status: result.status, retryable: true },
      };
    }
    return { ok: true, desired: desiredFromRow(row) };
  }

  async function publishLogs(batch: LogBatch, input: { agentName?: string } = {}): Promise<PublishResult> {
    const args: Database['public']['Functions']['publish_agent_logs']['Args'] = { p_batch: batch };
    if (options.token) args.p_token = options.token;
    else if (input.agentName !== undefined) args.p_agent_name = input.agentName;
    const result = await call((supabase, signal) => supabase.rpc('publish_agent_logs', args).abortSignal(signal));
    if (!result.ok) return result;
    const row = result.data?.[0];
    return {
      ok: true,
      // RETURNS TABLE columns are nullable although the generated type cannot say so.
      watchSeconds: (row?.watch_seconds as number | null | undefined) ?? null,
      backlogRequest: Number(row?.backlog_request ?? 0),
    };
  }

  function subscribeWakeup(
    agentId: string,
    onWake: (message: WakeupMessage) => void,
    onStatus?: (status: WakeupStatus) => void,
    onLogWatch?: (message: LogWatchMessage) => void,
  ) {
    let channel: RealtimeChannel | undefined;
    let closed = false;
    (transport ??= webSocketTransport())
      .then((ws) => {
        if (closed) return;
        channel = client(ws)
          // Private: Realtime Authorization lets workers read wake-ups and nobody broadcast them (only the database does).
          .channel(wakeupTopic(agentId), { config: { private: true, broadcast: { self: false } } })
          .on('broadcast', { event: 'desired_state' }, (message) => {
            const generation = Number((message.payload as WakeupMessage | undefined)?.generation);
            onWake(Number.isFinite(generation) ? { generation } : {});
          })
          .on('broadcast', { event: 'logs' }, (message) => {
            const payload = (message.payload ?? {}) as { watch_seconds?: unknown; backlog_request?: unknown };
            const finite = (value: unknown) => (Number.isFinite(Number(value)) ? Number(value) : null);
            onLogWatch?.({
              watchSeconds: payload.watch_seconds == null ? null : finite(payload.watch_seconds),
              backlogRequest: payload.backlog_request == null ? null : finite(payload.backlog_request),
            });
          })
          .subscribe((state) => {
            if (closed) return;
            onStatus?.(state === 'SUBSCRIBED' ? 'subscribed' : 'unavailable');
          });
        channels.add(channel);
      })
      .catch(() => onStatus?.('unavailable'));
    return () => {
      closed = true;
      if (channel) {
        channels.delete(channel);
        void supabase?.removeChannel(channel);
      }
    };
  }

  async function close() {
    const open = [...channels];
    channels.clear();
    await Promise.all(open.map((channel) => supabase?.removeChannel(channel)));
    supabase?.realtime.disconnect();
  }

  return { report, subscribeWakeup, publishLogs, close };
}
