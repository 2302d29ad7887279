import { useEffect, useState } from 'preact/hooks';

// One shared one-second clock for every ticking label, instead of one interval per row.
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    for (const fn of listeners) fn();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The server's "now" (local clock + offset), re-rendering the caller once a second. */
export function useServerNow(clockOffsetMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => subscribe(() => setNow(Date.now())), []);
  return now + clockOffsetMs;
}
