// When Agent Status refuses the worker itself — its token was revoked, its agent deleted, the token
// belongs to another agent — sending again cannot help until a person acts. The worker says so once,
// clearly, keeps its process and its work as they are (monitoring never takes an agent down), and
// asks again only now and then: after refusedRetryMs, doubling up to MAX_REFUSED_RETRY_MS. Every report
// made meanwhile is dropped, so a busy work cannot turn a refusal into a stream of requests.
import type { ReportError } from './result.ts';

/** PT401 invalid or revoked token; PT403 a token of another agent; PT404 no agent of that name (secret key). */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['PT401', 'PT403', 'PT404']);
export const DEFAULT_REFUSED_RETRY_MS = 60_000;
export const MAX_REFUSED_RETRY_MS = 15 * 60_000;

export function isRefusal(error: ReportError): boolean {
  return REFUSAL_CODES.has(error.code);
}

/** What a refusal means and what to do about it, in a sentence for the log. */
export function explainRefusal(error: ReportError): string {
  const why =
    error.code === 'PT401'
      ? 'its token was revoked, or its agent was deleted'
      : error.code === 'PT403'
        ? 'the token belongs to another agent: give each worker the token issued for its own agent'
        : 'there is no agent of this name: add it on the dashboard, or check the name';
  return `Agent Status refused this worker (${error.code}: ${error.message}): ${why}. Monitoring is off for this worker and its work is left as it is; issue a new token (dashboard → the agent → Tokens, or \`agent-status tokens issue\`) and restart the worker with it.`;
}

export interface RefusalGate {
  /**
   * A refusal arrived: reports are held back for `delayMs` from now. `fresh` is false for a refusal of a
   * report sent before the hold began (one already in the queue): it neither extends nor doubles the hold.
   */
  refused(): { delayMs: number; fresh: boolean; first: boolean };
  /** A report was accepted: returns true when that ends a refusal. */
  accepted(): boolean;
  /** True while reports are held back (a refusal, and its retry time has not come). */
  holding(): boolean;
}

export function createRefusalGate(firstRetryMs: number, now: () => number = Date.now): RefusalGate {
  let refusals = 0;
  let holdUntil = 0;
  return {
    refused() {
      if (refusals > 0 && now() < holdUntil) return { delayMs: holdUntil - now(), fresh: false, first: false };
      const delayMs = Math.min(firstRetryMs * 2 ** refusals, MAX_REFUSED_RETRY_MS);
      refusals += 1;
      holdUntil = now() + delayMs;
      return { delayMs, fresh: true, first: refusals === 1 };
    },
    accepted() {
      const ended = refusals > 0;
      refusals = 0;
      holdUntil = 0;
      return ended;
    },
    holding: () => refusals > 0 && now() < holdUntil,
  };
}
