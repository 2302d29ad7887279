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
// Wake-ups are not trusted blindly (issue 14). An announcement is believed only up to what the next answer
// shows: a wake-up announcing a generation the database does not have (a forgery, e.g. 999999999999)
// is forgotten at that answer, so it cannot hide a later unannounced change and keep the worker on the
// slow pace. And wake-ups make at most one ask per second: one arriving sooner after the last
// wake-up ask is kept and asks when that second is over.
import type { WakeupStatus } from './client.ts';

/** Wake-ups never make a worker ask (and report) more often than this. */
export const MIN_WAKEUP_ASK_GAP_MS = 1_000;

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
  let stopped = false;
  let timer: unknown;
  /** Set for a second after a wake-up asked; a wake-up meanwhile only marks `wakeupWaiting`. */
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
    if (generation !== undefined) announcedGeneration = Math.max(announcedGeneration, generation);
    pushTrusted = channelUp;
    if (wakeupGate !== undefined) {
      wakeupWaiting = true;
      return;
    }
    askForWakeup();
  }

  function askForWakeup() {
    wakeupGate = timers.setTimeout(() => {
      wakeupGate = undefined;
      if (!wakeupWaiting || stopped) return;
      wakeupWaiting = false;
      askForWakeup();
    }, MIN_WAKEUP_ASK_GAP_MS);
    pollNow();
  }

  function answered(previous: number | undefined, generation: number) {
    const unannounced = generation > announcedGeneration;
    // An announcement beyond what the database answers was not true (or not yet): believe no more of it.
    announcedGeneration = Math.min(announcedGeneration, generation);
    if (!pushTrusted || previous === undefined) return;
    if (generation > previous && unannounced) {
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
