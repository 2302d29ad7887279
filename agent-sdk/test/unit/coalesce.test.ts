import { describe, expect, it } from 'vitest';
import { enqueueCoalesced } from '../../src/index.ts';
import type { ReportKind } from '../../src/constants.ts';

type Item = { kind: ReportKind; n: number };
const run = (...kinds: Item['kind'][]) =>
  kinds.reduce<Item[]>((queue, kind, n) => enqueueCoalesced(queue, { kind, n }), []).map((i) => `${i.kind}#${i.n}`);

describe('coalescing rule', () => {
  it('a heartbeat adds nothing while another report waits', () => {
    expect(run('warning', 'heartbeat', 'heartbeat')).toEqual(['warning#0']);
  });
  it('any report replaces a waiting heartbeat', () => {
    expect(run('heartbeat', 'activity')).toEqual(['activity#1']);
  });
  it('the latest status wins', () => {
    expect(run('started', 'warning', 'stopped')).toEqual(['stopped#2']);
  });
  it('an error survives later heartbeats, activities and status reports', () => {
    expect(run('error', 'heartbeat', 'activity', 'started', 'heartbeat')).toEqual([
      'error#0',
      'activity#2',
      'started#3',
    ]);
  });
  it('only a later error replaces an error', () => {
    expect(run('error', 'started', 'error')).toEqual(['error#2']);
  });
  it('recovered is a status: it replaces a pending warning but never hides an error', () => {
    expect(run('warning', 'recovered')).toEqual(['recovered#1']);
    expect(run('error', 'recovered')).toEqual(['error#0', 'recovered#1']);
  });
  it('the latest activity wins and survives status reports', () => {
    expect(run('activity', 'warning', 'activity')).toEqual(['warning#1', 'activity#2']);
  });
  it('a flood stays bounded: at most one report per kind', () => {
    const kinds: Item['kind'][] = ['started', 'heartbeat', 'recovered', 'warning', 'error', 'stopped', 'activity'];
    const flood = Array.from({ length: 1000 }, (_, i) => kinds[(i * 7) % kinds.length]);
    const result = run(...flood);
    expect(result.length).toBeLessThanOrEqual(4);
    expect(new Set(result.map((r) => r.split('#')[0])).size).toBe(result.length);
  });
  it('a heartbeat is kept behind a report that is already in flight (it is also a poll)', () => {
    const inFlight: Item = { kind: 'started', n: 0 };
    const queue = enqueueCoalesced([inFlight], { kind: 'heartbeat', n: 1 }, inFlight);
    expect(queue.map((i) => i.kind)).toEqual(['started', 'heartbeat']);
  });
});
