// Helpers for simulated work: pauses that end when the agent is told to stop, and believable numbers.

/** Waits ms, or rejects with the signal's reason as soon as it aborts: the work then unwinds at once. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Activity pace: AGENT_SIM_SPEED=10 makes simulated agents ten times busier (demos, tests). */
export function paceMs(baseMs: number): number {
  const speed = Number(process.env.AGENT_SIM_SPEED ?? '1');
  return baseMs / (Number.isFinite(speed) && speed > 0 ? speed : 1);
}

export function randomInt(min: number, max: number, random: () => number = Math.random): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(items: readonly T[], random: () => number = Math.random): T {
  return items[Math.floor(random() * items.length)];
}

export function chance(probability: number, random: () => number = Math.random): boolean {
  return random() < probability;
}

/** Runs `step` until the signal aborts, pausing 3–8 s (scaled by paceMs) between steps. */
export async function loop(signal: AbortSignal, step: () => void | Promise<void>): Promise<void> {
  try {
    while (!signal.aborted) {
      await pause(paceMs(randomInt(3_000, 8_000)), signal);
      await step();
    }
  } catch (error) {
    if (!signal.aborted) throw error; // a real failure, not the stop we were asked for
  }
}
