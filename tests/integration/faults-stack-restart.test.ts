// The stack stops and comes back (same port, persisted PGlite data directory) while 10 workers run.
// The same scenario with 50 workers and a longer outage is part of `npm run soak`.
import { describe, expect, it } from 'vitest';
import { stackRestartScenario } from '../support/faults/stack-restart.ts';

describe('stack restart under load', () => {
  it('no worker crashes, all report again within two heartbeat intervals, a command from just before the outage takes effect, history stays exact', async () => {
    const report = await stackRestartScenario({ workers: 10, outageMs: 2_000, heartbeatIntervalMs: 1_000 });
    console.info(`stack restart: ${JSON.stringify(report)}`);
    expect(report.problems).toEqual([]);
    expect(report.reportAgainMs.max).toBeLessThanOrEqual(2_000);
  }, 90_000);
});
