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
import type { WakeupStatus } from './client.ts';

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
    if (generation !== undefined) announcedGeneration = Math.max(announcedGeneration, generation);
    pushTrusted = channelUp;
    pollNow();
  }

  function answered(previous: number | undefined, generation: number) {
    if (!pushTrusted || previous === undefined) return;
    if (generation > previous && generation > announcedGeneration) {
      pushTrusted = false;
      schedule(); // the fast pace now, not after the slow timer already set
    }
  }

  function stop() {
    stopped = true;
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  }

  return { pollNow, channel, wakeup, answered, intervalMs, stop };
}
