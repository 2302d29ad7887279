// The fleet model at fleet scale: a burst of Realtime changes (a sweep marking a thousand agents offline
// at once) must cost one pass over the fleet, not one per change, and building the fleet from a read must
// stay cheap. Bounds are 10x or more what a busy 2-core machine needs; the regressions they catch are
// 100x (a copy of the fleet per change: ~15 s for this burst).
import type { AgentOverviewRow } from '@agent-status/domain';
import { describe, expect, it } from 'vitest';
import { applyChanges, applyOverview, emptyAgentsState, type FleetChange } from '../src/index.ts';

const at = (second: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, second)).toISOString();

function fleet(size: number): AgentOverviewRow[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `id-${i}`,
    agent_name: `agent-${String(i).padStart(6, '0')}`,
    status: 'running',
    health: 90,
    offline: false,
    updated_at: at(0),
    generation: 1,
    observed_generation: 1,
    desired_state: 'running',
    requested_at: at(0),
    server_time: at(0),
  })) as unknown as AgentOverviewRow[];
}

const offlineBurst = (count: number): FleetChange[] =>
  Array.from({ length: count }, (_, i) => ({
    event: { agent_id: `id-${i}`, snapshot: { offline: true, updated_at: at(30) } },
  }));

describe('the fleet model at 10,000 agents', () => {
  it('applies a burst of 1,000 changes with one pass over the fleet, not one per change', () => {
    const state = applyOverview(emptyAgentsState, fleet(10_000), Date.parse(at(0)));
    applyChanges(state, offlineBurst(100)); // warm-up
    const started = performance.now();
    const next = applyChanges(state, offlineBurst(1_000));
    const elapsed = performance.now() - started;
    expect(Object.values(next.byId).filter((agent) => agent.offline)).toHaveLength(1_000);
    expect(next.order).toBe(state.order);
    expect(next.byId['id-5000']).toBe(state.byId['id-5000']);
    // ~60 ms cold on a busy 2-core machine; a copy of the fleet per change takes ~15 s.
    expect(elapsed).toBeLessThan(1_000);
  });

  it('builds the fleet from a read in time linear in its size (10x bound for a busy machine)', () => {
    const build = (size: number) => {
      const rows = fleet(size);
      const started = performance.now();
      applyOverview(emptyAgentsState, rows, Date.parse(at(0)));
      return performance.now() - started;
    };
    build(2_000); // warm-up
    // ~50 ms on a busy 2-core machine.
    expect(build(10_000)).toBeLessThan(1_000);
  });
});
