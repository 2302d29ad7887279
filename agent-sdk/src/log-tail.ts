// The worker's side of a live tail: nothing while nobody watches; while someone does, the buffer's
// backlog and then new lines, in batches (publish_agent_logs), until the watch runs out.
//
// A watch is learned from three answers, whichever comes first: the push on the wake-up channel (a
// watch starts, or a watcher asks for the backlog), every report's answer (log_watch_seconds,
// log_backlog_request: the fallback without push), and every batch's answer. Each says how many seconds
// the watch still runs; the tail runs until then on this process's clock, so it stops by itself within
// the expiry after the last watcher leaves. A watch that starts, or a backlog request newer than the last
// one seen, sends the whole buffer again (viewers drop what they have), ending with `backlog_end`.
// Then new lines go out at most every `minIntervalMs` (the first at once). When the watch is about to run
// out and nothing came to extend it, one empty batch asks whether it was renewed (a worker with a long
// heartbeat interval would otherwise stop while still watched).
import { LOG_BATCH_MAX_BYTES } from './constants.ts';
import { jsonBytes, type LogBuffer, type LogLine } from './log-buffer.ts';
import type { ReportError } from './result.ts';

/** A type alias, not an interface, so that it is assignable to the generated Json. */
export type LogBatch = {
  /** The worker instance: sequence numbers are per instance. */
  instance: string;
  lines: LogLine[];
  /** The last batch of a backlog (sent even when empty, so a viewer knows the worker answered). */
  backlog_end?: true;
};

export type PublishResult =
  | { ok: true; watchSeconds: number | null; backlogRequest: number }
  | { ok: false; error: ReportError };

export interface LogTailOptions {
  buffer: LogBuffer;
  publish(batch: LogBatch): Promise<PublishResult>;
  instanceId: string;
  /** Spacing of live batches. Default 500 ms: at most two batches a second. */
  minIntervalMs?: number;
  /** Ask with an empty batch this long before the watch runs out, unless something extended it. Default 3 s. */
  keepaliveLeadMs?: number;
  /** After a failed batch, try again this long later (doubling to 8×). Default 1 s. */
  retryMs?: number;
  /** A batch holds at most this many bytes of JSON and lines. */
  maxBatchBytes?: number;
  maxBatchLines?: number;
  now?: () => number;
  /** The SDK's own diagnostics. */
  log(line: string): void;
}

export interface LogTail {
  /** A watch was announced or answered: seconds it still runs (null/undefined: no news), backlog requests so far. */
  watched(seconds: number | null | undefined, backlogRequest?: number | null): void;
  /** A line entered the buffer. */
  lineAdded(): void;
  tailing(): boolean;
  stop(): void;
}

/** What a batch's envelope adds to its lines' JSON, with room to spare. */
const ENVELOPE_BYTES = 256;
/** The database measures a batch as jsonb text, which has a space after every colon and comma: fill 3/4. */
const DEFAULT_BATCH_BYTES = Math.floor(LOG_BATCH_MAX_BYTES * 0.75);
const REFUSED_PAUSE_MS = 60_000;

export function createLogTail(options: LogTailOptions): LogTail {
  const {
    buffer,
    minIntervalMs = 500,
    keepaliveLeadMs = 3_000,
    retryMs = 1_000,
    maxBatchBytes = DEFAULT_BATCH_BYTES,
    maxBatchLines = 500,
    now = () => Date.now(),
  } = options;
  let deadline = 0;
  let backlogSeen: number | undefined;
  let backlogWanted = false;
  let sentSeq = 0;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let extendedAt = Number.NEGATIVE_INFINITY;
  let failures = 0;
  let stopped = false;
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = 0;
  /** After a refusal (a token revoked, a backend without live logs), no tail starts before then. */
  let refusedUntil = Number.NEGATIVE_INFINITY;

  const tailing = () => !stopped && deadline > now();

  function watched(seconds: number | null | undefined, backlogRequest?: number | null, fromBatch = false) {
    if (stopped) return;
    const was = tailing();
    if (typeof seconds === 'number' && seconds > 0) {
      const until = now() + seconds * 1000;
      if (until > deadline) extendedAt = now();
      deadline = Math.max(deadline, until);
    } else if (fromBatch) {
      // A batch's answer is the database's word at that moment: the watch is over.
      deadline = 0;
    }
    if (typeof backlogRequest === 'number') {
      if (backlogSeen !== undefined && backlogRequest > backlogSeen && tailing()) backlogWanted = true;
      backlogSeen = Math.max(backlogSeen ?? backlogRequest, backlogRequest);
    }
    if (now() < refusedUntil) deadline = 0;
    if (!was && tailing()) {
      backlogWanted = true;
      failures = 0;
    }
    schedule(0);
  }

  function schedule(delayMs: number) {
    if (busy || stopped) return;
    if (timer) clearTimeout(timer);
    timerAt = now() + Math.max(0, delayMs);
    timer = setTimeout(
      () => {
        timer = undefined;
        void pump();
      },
      Math.max(0, delayMs),
    );
    (timer as { unref?: () => void }).unref?.();
  }

  /** Splits lines into batches that fit; at least one (possibly empty) batch. */
  function batches(lines: LogLine[]): LogLine[][] {
    const out: LogLine[][] = [[]];
    let bytes = ENVELOPE_BYTES;
    for (const line of lines) {
      const size = jsonBytes(line) + 1;
      const current = out[out.length - 1];
      if (current.length > 0 && (bytes + size > maxBatchBytes || current.length >= maxBatchLines)) {
        out.push([]);
        bytes = ENVELOPE_BYTES;
      }
      out[out.length - 1].push(line);
      bytes += size;
    }
    return out;
  }

  async function send(batch: LogBatch): Promise<boolean> {
    lastSentAt = now();
    const result = await options.publish(batch).catch(
      (error: unknown): PublishResult => ({
        ok: false,
        error: { code: 'NETWORK', message: String(error), status: 0, retryable: true },
      }),
    );
    if (!result.ok) {
      if (!result.error.retryable) {
        options.log(`live log stopped (${result.error.code}: ${result.error.message}); asking again in a minute`);
        refusedUntil = now() + REFUSED_PAUSE_MS;
        deadline = 0;
      } else failures++;
      return false;
    }
    failures = 0;
    watched(result.watchSeconds, result.backlogRequest, true);
    return true;
  }

  /** One step; then the next is scheduled (or nothing, when the tail is over). */
  async function pump() {
    if (busy || stopped) return;
    busy = true;
    let next: number | undefined;
    try {
      if (!tailing()) return;
      if (failures > 0 && now() - lastSentAt < retryMs * 2 ** Math.min(failures - 1, 3)) {
        next = lastSentAt + retryMs * 2 ** Math.min(failures - 1, 3) - now();
        return;
      }
      if (backlogWanted) {
        backlogWanted = false;
        const lines = buffer.since(0);
        const top = buffer.lastSeq();
        const parts = batches(lines);
        for (const [i, part] of parts.entries()) {
          const last = i === parts.length - 1;
          const ok = await send({ instance: options.instanceId, lines: part, ...(last ? { backlog_end: true } : {}) });
          if (!ok) {
            backlogWanted = true;
            break;
          }
          if (last) sentSeq = Math.max(sentSeq, top);
          if (!tailing()) break;
        }
        next = 0;
        return;
      }
      const pending = buffer.since(sentSeq);
      if (pending.length > 0) {
        const wait = lastSentAt + minIntervalMs - now();
        if (wait > 0) {
          next = wait;
          return;
        }
        const [part] = batches(pending);
        if (await send({ instance: options.instanceId, lines: part })) {
          sentSeq = Math.max(sentSeq, part[part.length - 1].seq);
        }
        next = 0;
        return;
      }
      // Nothing to send: ask before the watch runs out, unless something extended it since.
      const askAt = deadline - keepaliveLeadMs;
      const asked = extendedAt >= askAt || lastSentAt >= askAt;
      if (now() >= askAt && !asked) {
        await send({ instance: options.instanceId, lines: [] });
        next = 0;
        return;
      }
      // Wake up to ask, or at the end of the watch (which ends the tail); a new line wakes it sooner.
      next = now() < askAt ? askAt - now() : deadline - now();
    } finally {
      busy = false;
      if (next !== undefined && tailing()) schedule(next);
    }
  }

  return {
    watched: (seconds, backlogRequest) => watched(seconds, backlogRequest),
    lineAdded() {
      if (!tailing() || busy) return; // a busy tail looks at the buffer again when its step ends
      const at = Math.max(now(), lastSentAt + minIntervalMs);
      if (!timer || timerAt > at) schedule(at - now());
    },
    tailing,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
