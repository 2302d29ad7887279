// How often a worker asks for its desired state (each ask is also a heartbeat), and whether it trusts
// push wake-ups to spare it the asking.
//
// Push is trusted as soon as the channel is subscribed, so an idle agent with the default settings asks at
// its heartbeat pace (asking every 2 s forever would cost five times the requests on a metered platform).
// If the database does not broadcast after all, the first answer with a generation that no wake-up
// announced distrusts push and goes back to the fallback pace at once. A lost push costs at most one
// interval: the caller's poll interval, or by default the heartbeat interval.
//
//   event                                            trust                      next ask
//   channel subscribed                               trusted                    now (a change may have been missed)
//   channel lost                                     distrusted                 one fallback interval from now
//   wake-up                                          trusted if the channel is up  now
//   answer with a newer, unannounced generation      distrusted (if trusted)    one fallback interval from now
//
// Wake-ups are not trusted blindly: the database sends one per real change, announcing the new
// generation; anything else is treated as noise that must cost little.
//   - A wake-up announcing a generation newer than any answer asks at once (one real command, one ask).
//   - One announcing a generation already answered asks nothing (it says nothing new).
//   - One without a generation, and every wake-up once an announcement has proved false, asks at most once
//     a second (one arriving sooner asks when that second is over).
// An announcement proves false when two answers after it (the first may come from a request sent before
// the wake-up) both show an older generation: it is then forgotten, so a forged announcement (e.g.
// generation 999999999999) cannot hide a later unannounced change and keep the worker on the slow pace.
import type { WakeupStatus } from './client.ts';

/** Wake-ups that are not the database's never make a worker ask (and report) more often than this. */
export const MIN_WAKEUP_ASK_GAP_MS = 1_000;
/** Answers after an announcement that may all be older before it counts as false (see above). */
const ANSWERS_TO_DISPROVE = 2;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PaceIntervals {
  /** While push is not subscribed or not trusted. */
  fallbackMs: number;
  /** While push is trusted. */
  pushedMs: number;
}

export interface PollPaceOptions extends PaceIntervals {
  /** Asks for the desired state now. */
  poll: () => void;
  timers?: Timers;
}

export interface PollPace {
  /** Asks now and schedules the next ask. */
  pollNow(): void;
  channel(status: WakeupStatus): void;
  /** A push wake-up, with the generation it announces when it names one. */
  wakeup(generation?: number): void;
  /** An answer moved the desired state from `previous` (undefined: the first answer) to `generation`. */
  answered(previous: number | undefined, generation: number): void;
  /** The interval until the next ask, as things stand. */
  intervalMs(): number;
  /** No more asks from now on. */
  stop(): void;
}

export function createPollPace(options: PollPaceOptions): PollPace {
  const timers = options.timers ?? systemTimers;
  let channelUp = false;
  let pushTrusted = false;
  let announcedGeneration = -1;
  /** The newest generation an answer has shown. */
  let answeredGeneration: number | undefined;
  /** The newest announcement no answer has confirmed yet, and how many answers came since. */
  let unconfirmed: { generation: number; answers: number } | undefined;
  /** Set once an announcement proved false: from then on every wake-up is rate-limited. */
  let doubtWakeups = false;
  let stopped = false;
  let timer: unknown;
  /** Set for a second after a rate-limited wake-up asked; a wake-up meanwhile only marks `wakeupWaiting`. */
  let wakeupGate: unknown;
  let wakeupWaiting = false;

  const intervalMs = () => (channelUp && pushTrusted ? options.pushedMs : options.fallbackMs);

  function schedule() {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    timer = timers.setTimeout(pollNow, intervalMs());
  }

  function pollNow() {
    if (stopped) return;
    options.poll();
    schedule();
  }

  function channel(status: WakeupStatus) {
    const up = status === 'subscribed';
    if (up === channelUp) return;
    channelUp = up;
    pushTrusted = up;
    if (up) pollNow();
    else schedule();
  }

  function wakeup(generation?: number) {
    if (stopped) return;
    pushTrusted = channelUp;
    const announces = generation !== undefined && Number.isFinite(generation);
    if (announces && answeredGeneration !== undefined && generation <= answeredGeneration) return; // nothing new
    if (announces) {
      announcedGeneration = Math.max(announcedGeneration, generation);
      unconfirmed = {
        generation: Math.max(unconfirmed?.generation ?? -1, generation),
        answers: unconfirmed?.answers ?? 0,
      };
      if (!doubtWakeups) return pollNow();
    }
    if (wakeupGate !== undefined) {
      wakeupWaiting = true;
      return;
    }
    askLimited();
  }

  /** An ask for a wake-up that is rate-limited: now, then none for a second (one waiting then asks). */
  function askLimited() {
    wakeupGate = timers.setTimeout(() => {
      wakeupGate = undefined;
      if (!wakeupWaiting || stopped) return;
      wakeupWaiting = false;
      askLimited();
    }, MIN_WAKEUP_ASK_GAP_MS);
    pollNow();
  }

  function answered(previous: number | undefined, generation: number) {
    answeredGeneration = Math.max(answeredGeneration ?? generation, generation);
    if (unconfirmed) {
      if (generation >= unconfirmed.generation) unconfirmed = undefined;
      else if (++unconfirmed.answers >= ANSWERS_TO_DISPROVE) {
        // The database never had that generation: forget the announcement, and doubt wake-ups from now on.
        announcedGeneration = Math.min(announcedGeneration, previous ?? generation);
        unconfirmed = undefined;
        doubtWakeups = true;
      }
    }
    if (!pushTrusted || previous === undefined) return;
    if (generation > previous && generation > announcedGeneration) {
      pushTrusted = false;
      schedule(); // the fast pace now, not after the slow timer already set
    }
  }

  function stop() {
    stopped = true;
    if (timer !== undefined) timers.clearTimeout(timer);
    if (wakeupGate !== undefined) timers.clearTimeout(wakeupGate);
    timer = undefined;
    wakeupGate = undefined;
  }

  return { pollNow, channel, wakeup, answered, intervalMs, stop };
}
