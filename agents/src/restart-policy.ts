// What the runner does when an agent's process exits without being asked to (a crash, a kill, an exit):
// start it again after a delay that doubles with each quick exit — 1 s, 2 s, 4 s … capped at 30 s — and
// give up after 10 quick exits in a row, as PM2 (min_uptime, max_restarts) and supervisord (startretries)
// do. A run that lasted MIN_UPTIME_MS was healthy: the count starts again.
export interface RestartPolicyOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  minUptimeMs: number;
  maxQuickExits: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  minUptimeMs: 10_000,
  maxQuickExits: 10,
};

export type RestartDecision =
  | { restart: true; delayMs: number; attempt: number }
  | { restart: false; quickExits: number };

export function createRestartPolicy(options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {
  let quickExits = 0;
  return {
    /** The process exited unexpectedly after running `uptimeMs`. */
    exited(uptimeMs: number): RestartDecision {
      quickExits = uptimeMs >= options.minUptimeMs ? 1 : quickExits + 1;
      if (quickExits > options.maxQuickExits) return { restart: false, quickExits: quickExits - 1 };
      return {
        restart: true,
        delayMs: Math.min(options.baseDelayMs * 2 ** (quickExits - 1), options.maxDelayMs),
        attempt: quickExits,
      };
    },
  };
}
