import { afterEach, describe, expect, it, vi } from 'vitest';
import { startScheduler } from '../../src/scheduler.ts';

describe('startScheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('runs the sweep as the service role, never overlapping, and keeps going after failures', async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const logs: string[] = [];
    const scheduler = startScheduler({
      sweepIntervalMs: 100,
      pruneIntervalMs: 1_000_000,
      log: (scope, message) => logs.push(`${scope}: ${message}`),
      asRole: async (claims, fn) => {
        expect(claims.role).toBe('service_role');
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 250)); // slower than the interval
        inFlight--;
        return fn({
          query: async (sql: string) => {
            calls.push(sql);
            if (calls.length === 1) throw new Error('database busy');
            return { rows: [] };
          },
        });
      },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = scheduler.stop(); // waits for the run in flight
    await vi.advanceTimersByTimeAsync(300);
    await stopping;
    expect(maxInFlight).toBe(1);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls)).toEqual(new Set(['select public.sweep_offline_agents()']));
    expect(logs).toEqual(['scheduler: select public.sweep_offline_agents() failed: database busy']);
    const after = calls.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.length).toBe(after);
  });
});
