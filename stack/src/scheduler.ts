import type { Claims } from './types.ts';
import type { Queryable } from './types.ts';
import { SWEEP_INTERVAL_SECONDS } from '@agent-status/domain';

export interface SchedulerOptions {
  asRole<T>(claims: Claims, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  log(scope: string, message: string): void;
  sweepIntervalMs?: number;
  pruneIntervalMs?: number;
}

const SERVICE: Claims = { role: 'service_role' };

/**
 * What pg_cron runs on hosted Supabase: the offline sweep every SWEEP_INTERVAL_SECONDS and the
 * event pruning hourly. Each job waits for its previous run (no overlap); failures are logged, never thrown.
 */
export function startScheduler(opts: SchedulerOptions): { stop(): Promise<void> } {
  const jobs = [
    every(opts.sweepIntervalMs ?? SWEEP_INTERVAL_SECONDS * 1000, 'select public.sweep_offline_agents()'),
    every(opts.pruneIntervalMs ?? 3600_000, 'select public.prune_agent_events()'),
  ];

  function every(intervalMs: number, sql: string) {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    let stopped = false;
    const tick = () => {
      running = opts
        .asRole(SERVICE, (tx) => tx.query(sql))
        .then(() => undefined)
        .catch((error) => opts.log('scheduler', `${sql} failed: ${(error as Error).message}`))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    timer = setTimeout(tick, intervalMs);
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  }

  return { stop: async () => void (await Promise.all(jobs.map((stop) => stop()))) };
}
