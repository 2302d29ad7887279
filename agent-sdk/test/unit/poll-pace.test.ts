import { describe, expect, it } from 'vitest';
import { createPollPace, type Timers } from '../../src/poll-pace.ts';

/** Timers on a clock that only moves when the test says so. */
function manualClock() {
  let now = 0;
  let nextId = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = ++nextId;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  function advance(ms: number) {
    const until = now + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].callback();
    }
    now = until;
  }
  return { timers, advance, now: () => now, pending: () => pending.size };
}

const FALLBACK_MS = 2_000;
const PUSHED_MS = 10_000;

function setup(intervals = { fallbackMs: FALLBACK_MS, pushedMs: PUSHED_MS }) {
  const clock = manualClock();
  const polls: number[] = [];
  const pace = createPollPace({ ...intervals, timers: clock.timers, poll: () => polls.push(clock.now()) });
  /** The times of the polls made during the next `ms`. */
  const pollsDuring = (ms: number) => {
    const from = polls.length;
    clock.advance(ms);
    return polls.slice(from);
  };
  return { clock, polls, pace, pollsDuring };
}

describe('poll pace without push', () => {
  it('asks at once, then at the fallback pace', () => {
    const { pace, polls, pollsDuring } = setup();
    pace.pollNow();
    expect(polls).toEqual([0]);
    expect(pollsDuring(6_000)).toEqual([2_000, 4_000, 6_000]);
    expect(pace.intervalMs()).toBe(FALLBACK_MS);
  });

  it('an extra ask (pollNow) restarts the interval instead of adding a timer', () => {
    const { pace, clock, pollsDuring } = setup();
    pace.pollNow();
    clock.advance(1_500);
    pace.pollNow();
    expect(pollsDuring(2_000)).toEqual([3_500]);
    expect(clock.pending()).toBe(1);
  });
});

describe('poll pace with push', () => {
  it('trusts push once subscribed: asks now, then at the pushed pace', () => {
    const { pace, pollsDuring, polls } = setup();
    pace.pollNow();
    pace.channel('subscribed');
    expect(polls).toEqual([0, 0]); // a change may have been missed while the channel was down
    expect(pace.intervalMs()).toBe(PUSHED_MS);
    expect(pollsDuring(20_000)).toEqual([10_000, 20_000]);
  });

  it('a repeated status changes nothing', () => {
    const { pace, polls } = setup();
    pace.channel('subscribed');
    pace.channel('subscribed');
    expect(polls).toHaveLength(1);
    pace.channel('unavailable');
    pace.channel('unavailable');
    expect(polls).toHaveLength(1);
  });

  it('a wake-up asks at once and keeps the pushed pace', () => {
    const { pace, clock, pollsDuring, polls } = setup();
    pace.channel('subscribed');
    clock.advance(4_000);
    pace.wakeup(7);
    expect(polls).toEqual([0, 4_000]);
    expect(pollsDuring(14_000)).toEqual([14_000]);
  });

  it('a channel that drops goes back to the fallback pace, counted from the drop', () => {
    const { pace, clock, pollsDuring } = setup();
    pace.channel('subscribed');
    clock.advance(3_000);
    pace.channel('unavailable');
    expect(pace.intervalMs()).toBe(FALLBACK_MS);
    expect(pollsDuring(4_000)).toEqual([5_000, 7_000]);
  });

  it('an answer with a generation no wake-up announced distrusts push: fallback pace at once', () => {
    const { pace, clock, pollsDuring } = setup();
    pace.channel('subscribed');
    pace.wakeup(3);
    pace.answered(2, 3); // announced: still trusted
    expect(pace.intervalMs()).toBe(PUSHED_MS);
    clock.advance(1_000);
    pace.answered(3, 4); // found by a poll, never announced
    expect(pace.intervalMs()).toBe(FALLBACK_MS);
    expect(pollsDuring(4_000)).toEqual([3_000, 5_000]);
  });

  it('the first answer, an answer without a new generation, or one already distrusted changes nothing', () => {
    const { pace } = setup();
    pace.channel('subscribed');
    pace.answered(undefined, 9);
    pace.answered(4, 4);
    expect(pace.intervalMs()).toBe(PUSHED_MS);
    pace.answered(4, 5);
    expect(pace.intervalMs()).toBe(FALLBACK_MS);
  });

  it('a wake-up after a distrust trusts push again while the channel is up', () => {
    const { pace } = setup();
    pace.channel('subscribed');
    pace.answered(1, 2);
    expect(pace.intervalMs()).toBe(FALLBACK_MS);
    pace.wakeup();
    expect(pace.intervalMs()).toBe(PUSHED_MS);
  });

  it('a wake-up while the channel is down asks now but does not trust push', () => {
    const { pace, polls } = setup();
    pace.wakeup(1);
    expect(polls).toEqual([0]);
    expect(pace.intervalMs()).toBe(FALLBACK_MS);
  });

  it('with a caller-set poll interval the pace is the same whether push works or not', () => {
    const { pace, pollsDuring } = setup({ fallbackMs: 500, pushedMs: 500 });
    pace.channel('subscribed');
    expect(pollsDuring(1_000)).toEqual([500, 1_000]);
  });
});

describe('hostile wake-ups', () => {
  it('a forged wake-up announcing generation 999999999999 does not disable the polling fallback', () => {
    const { pace, clock, pollsDuring } = setup();
    pace.channel('subscribed');
    pace.answered(undefined, 3);
    pace.wakeup(999_999_999_999); // forged: the poll it causes still answers generation 3
    pace.answered(3, 3);
    clock.advance(5_000);
    pace.answered(3, 4); // a command whose wake-up never came: found by a poll
    expect(pace.intervalMs()).toBe(FALLBACK_MS);
    expect(pollsDuring(4_000)).toEqual([7_000, 9_000]);
  });

  it('a flood of wake-ups without a generation (never what the database sends) makes at most one ask per second', () => {
    const { pace, clock, polls } = setup();
    pace.channel('subscribed'); // asks at 0
    clock.advance(5_000);
    for (let ms = 0; ms < 3_000; ms += 10) {
      pace.wakeup();
      clock.advance(10);
    }
    clock.advance(1_000);
    const wakeAsks = polls.filter((at) => at >= 5_000);
    expect(wakeAsks.length).toBeLessThanOrEqual(4);
    expect(wakeAsks[0]).toBe(5_000); // the first wake-up still asks at once
    for (let i = 1; i < wakeAsks.length; i++) expect(wakeAsks[i] - wakeAsks[i - 1]).toBeGreaterThanOrEqual(1_000);
  });

  it('a flood of wake-ups announcing generations the database does not have: once two answers disprove one, at most one ask per second', () => {
    const { pace, clock, polls } = setup();
    pace.channel('subscribed');
    pace.answered(undefined, 3);
    clock.advance(5_000);
    let answeredPolls = polls.length;
    for (let i = 0; i < 300; i++) {
      pace.wakeup(100 + i);
      clock.advance(10);
      // Every ask is answered: the database is still at generation 3.
      for (; answeredPolls < polls.length; answeredPolls++) pace.answered(3, 3);
    }
    const wakeAsks = polls.filter((at) => at >= 5_000);
    expect(wakeAsks.length).toBeLessThanOrEqual(2 + 4);
  });

  it('a wake-up for a generation already answered asks nothing', () => {
    const { pace, polls } = setup();
    pace.channel('subscribed');
    pace.answered(undefined, 7);
    pace.wakeup(7);
    pace.wakeup(5);
    expect(polls).toEqual([0]);
  });

  it("the database's wake-ups for two real commands within a second both ask at once", () => {
    const { pace, clock, polls } = setup();
    pace.channel('subscribed');
    pace.answered(undefined, 3);
    clock.advance(5_000);
    pace.wakeup(4);
    pace.answered(3, 4);
    clock.advance(200);
    pace.wakeup(5);
    expect(polls).toEqual([0, 5_000, 5_200]);
  });

  it('a rate-limited wake-up inside the second after the last one is not lost: it asks when the second is over', () => {
    const { pace, clock, polls } = setup();
    pace.channel('subscribed');
    clock.advance(5_000);
    pace.wakeup();
    clock.advance(200);
    pace.wakeup();
    expect(polls).toEqual([0, 5_000]);
    clock.advance(800);
    expect(polls).toEqual([0, 5_000, 6_000]);
  });
});

describe('poll pace stopped', () => {
  it('asks no more, whatever happens', () => {
    const { pace, clock, polls } = setup();
    pace.pollNow();
    pace.stop();
    pace.pollNow();
    pace.wakeup(2);
    pace.channel('subscribed');
    pace.answered(1, 5);
    clock.advance(60_000);
    expect(polls).toEqual([0]);
    expect(clock.pending()).toBe(0);
  });
});
