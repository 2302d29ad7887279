import assert from 'node:assert/strict';
import { BURST_WINDOW_MS, burstAgents, describeBurst, groupBursts, type BurstEvent } from './bursts.ts';

const at = (s: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, 0) + s * 1000).toISOString();
let nextId = 1000;
const ev = (kind: BurstEvent['kind'], second: number, agent = `a${nextId}`): BurstEvent => ({
  id: nextId--,
  kind,
  created_at: at(second),
  agent_id: agent,
});
const shape = (items: ReturnType<typeof groupBursts>) =>
  items.map((i) => (i.type === 'event' ? i.event.kind : `${i.kind}×${i.events.length}`));

Deno.test('a sweep that marks many agents offline is one row', () => {
  const feed = Array.from({ length: 1234 }, (_, i) => ev('offline', 10 - i / 1000));
  const items = groupBursts(feed);
  assert.equal(items.length, 1);
  assert.deepEqual(shape(items), ['offline×1234']);
  assert.equal(describeBurst('offline', 1234), '1,234 agents went offline');
});

Deno.test('fewer than three of a kind are shown one by one', () => {
  assert.deepEqual(shape(groupBursts([ev('error', 3), ev('error', 2)])), ['error', 'error']);
});

Deno.test('events of other kinds in between keep their place; the burst takes its newest event’s', () => {
  const feed = [
    ev('warning', 9),
    ev('offline', 8),
    ev('command', 7.5),
    ev('offline', 7),
    ev('offline', 6),
    ev('online', 1),
  ];
  assert.deepEqual(shape(groupBursts(feed)), ['warning', 'offline×3', 'command', 'online']);
});

Deno.test('a burst ends where its kind is further apart than the window from its newest event', () => {
  const windowS = BURST_WINDOW_MS / 1000;
  const feed = [
    ev('offline', 100),
    ev('offline', 99),
    ev('offline', 100 - windowS),
    ev('offline', 100 - windowS - 0.1),
  ];
  // The fourth is more than the window older than the burst's newest event: it starts a group of its own.
  assert.deepEqual(shape(groupBursts(feed)), ['offline×3', 'offline']);
  const later = [
    ev('online', 60),
    ev('online', 59),
    ev('online', 58),
    ev('online', 20),
    ev('online', 19),
    ev('online', 18),
  ];
  assert.deepEqual(shape(groupBursts(later)), ['online×3', 'online×3']);
});

Deno.test('words for each kind, a count of agents, and a fallback', () => {
  assert.equal(describeBurst('online', 12), '12 agents came back online');
  assert.equal(describeBurst('error', 3), '3 errors');
  const burst = [ev('warning', 3, 'x'), ev('warning', 2, 'x'), ev('warning', 1, 'y')];
  assert.equal(burstAgents(burst), 2);
});
