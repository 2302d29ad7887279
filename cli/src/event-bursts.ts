// Bursts in the terminal: `events` prints a burst of one kind (a crash loop's errors, a storm of
// warnings) as one line, with the same rule as the dashboard's #/activity (@agent-status/domain's
// groupBursts). Live (`--follow`) an event is printed as it arrives, so nothing waits: the first events of
// a kind are printed one by one, the rest of the burst is counted and told in one line when its window ends.
import { BURST_MIN_EVENTS, BURST_WINDOW_MS, groupBursts, type BurstEvent, type FeedItem } from '@agent-status/domain';

/** A history, oldest first as `events` prints it, grouped into single events and bursts (each oldest first). */
export function burstsOldestFirst<E extends BurstEvent>(events: readonly E[]): FeedItem<E>[] {
  return groupBursts([...events].reverse())
    .reverse()
    .map((item) => (item.type === 'event' ? item : { ...item, events: [...item.events].reverse() }));
}

type Run<E> = { startMs: number; shown: number; held: E[]; timer?: ReturnType<typeof setTimeout> };

export interface LiveBurstOptions<E> {
  /** Prints one event. */
  event: (event: E) => void;
  /** Prints the end of a burst: the events held back (oldest first) and how many the burst held in all. */
  rest: (held: E[], total: number) => void;
  windowMs?: number;
  minEvents?: number;
}

/**
 * Live events, printed as they come until a kind reaches BURST_MIN_EVENTS within the burst window of its
 * run's first event; the rest of that run is held and told in one line when the window has passed (or at
 * `flush`, e.g. on Ctrl-C).
 */
export function liveBursts<E extends BurstEvent>({
  event,
  rest,
  windowMs = BURST_WINDOW_MS,
  minEvents = BURST_MIN_EVENTS,
}: LiveBurstOptions<E>) {
  const runs = new Map<E['kind'], Run<E>>();
  const end = (kind: E['kind']) => {
    const run = runs.get(kind);
    if (!run) return;
    runs.delete(kind);
    clearTimeout(run.timer);
    if (run.held.length) rest(run.held, run.shown + run.held.length);
  };
  return {
    push(next: E) {
      const at = Date.parse(next.created_at);
      let run = runs.get(next.kind);
      if (run && !(at - run.startMs <= windowMs)) {
        end(next.kind);
        run = undefined;
      }
      if (!run) {
        run = { startMs: at, shown: 0, held: [] };
        runs.set(next.kind, run);
      }
      if (run.shown < minEvents - 1) {
        run.shown += 1;
        event(next);
        return;
      }
      if (!run.held.length) run.timer = setTimeout(() => end(next.kind), windowMs);
      run.held.push(next);
    },
    /** Tells every burst still open. */
    flush() {
      for (const kind of [...runs.keys()]) end(kind);
    },
  };
}
