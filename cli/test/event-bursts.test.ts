import type { BurstEvent } from '@agent-status/domain';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { burstsOldestFirst, liveBursts } from '../src/event-bursts.ts';

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);
let nextId = 1;
const ev = (kind: BurstEvent['kind'], second: number): BurstEvent => ({
  id: nextId++,
  kind,
  created_at: new Date(T0 + second * 1000).toISOString(),
  agent_id: 'a',
});

describe('events in the terminal', () => {
  it('a history, oldest first: a crash loop of errors is one item, oldest first inside, in the place of its newest', () => {
    const history = [
      ev('status', 0),
      ev('error', 1),
      ev('error', 1.5),
      ev('error', 2),
      ev('warning', 3),
      ev('online', 60),
    ];
    const items = burstsOldestFirst(history);
    expect(items.map((i) => (i.type === 'event' ? i.event.kind : `${i.kind}×${i.events.length}`))).toEqual([
      'status',
      'error×3',
      'warning',
      'online',
    ]);
    const burst = items[1];
    expect(burst.type === 'burst' && burst.events.map((e) => e.id)).toEqual(history.slice(1, 4).map((e) => e.id));
  });

  describe('live (--follow)', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    const follow = () => {
      const printed: string[] = [];
      const live = liveBursts<BurstEvent>({
        event: (e) => printed.push(`${e.kind} ${e.id}`),
        rest: (held, total) => printed.push(`… ${held.length} more, ${total} in all`),
      });
      return { printed, live };
    };

    it('prints each event as it comes until a kind bursts; the rest of the burst is one line when its window has passed', () => {
      const { printed, live } = follow();
      const errors = Array.from({ length: 50 }, (_, i) => ev('error', i / 100));
      for (const e of errors) live.push(e);
      expect(printed).toEqual([`error ${errors[0].id}`, `error ${errors[1].id}`]); // nothing waits
      vi.advanceTimersByTime(5_000);
      expect(printed.at(-1)).toBe('… 48 more, 50 in all');
      const later = ev('error', 120);
      live.push(later);
      expect(printed.at(-1)).toBe(`error ${later.id}`); // a new run, printed at once
    });

    it('other kinds are printed in between, and an event past the window starts a new run', () => {
      const { printed, live } = follow();
      live.push(ev('warning', 0));
      live.push(ev('warning', 1));
      live.push(ev('warning', 2)); // held
      const other = ev('command', 2.5);
      live.push(other);
      expect(printed.at(-1)).toBe(`command ${other.id}`);
      const late = ev('warning', 10); // past the window of its run's first event: the held one is told first
      live.push(late);
      expect(printed.slice(-2)).toEqual(['… 1 more, 3 in all', `warning ${late.id}`]);
    });

    it('flush (Ctrl-C) tells a burst still open', () => {
      const { printed, live } = follow();
      for (let i = 0; i < 4; i++) live.push(ev('offline', i / 10));
      live.flush();
      expect(printed.at(-1)).toBe('… 2 more, 4 in all');
      vi.advanceTimersByTime(10_000);
      expect(printed.filter((line) => line.startsWith('…'))).toHaveLength(1);
    });
  });
});
