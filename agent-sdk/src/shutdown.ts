// Ending an agent: once, within a budget, with a final report; and what may ask for it (SIGINT/SIGTERM,
// an AbortSignal, errors that escaped the work).
import type { Reporter } from './reporter.ts';
import * as runtime from './runtime.ts';

/** Shutdowns that end the process (when exitProcess); stop() and options.signal leave it to the caller. */
const EXITING_REASONS = new Set(['SIGINT', 'SIGTERM', 'crash']);
/** Why a worker stops because a newer instance of its agent took over (instance.ts). */
export const STAND_DOWN = 'a newer instance took this agent over';
/** Shutdowns without a final `stopped` report: after a crash, and when standing down (the agent is not ours to report). */
const SILENT_REASONS = new Set(['crash', STAND_DOWN]);

export interface ShutdownPlan {
  log(line: string): void;
  timeoutMs: number;
  exitProcess: boolean;
  /** Nothing new may start: no more polls, no crash restart, no wake-ups. */
  quiesce(): void;
  stopWork(): Promise<void>;
  reporter: Pick<Reporter, 'enqueue' | 'flush' | 'close'>;
  /** Releases the process hooks and, when the agent owns it, the client. */
  release(): Promise<void>;
}

export interface Shutdown {
  /** Resolves to the exit code once the agent has shut down. */
  done: Promise<number>;
  /** Starts the shutdown (or joins the one under way) and resolves to its exit code. */
  shutdown(code: number, reason: string): Promise<number>;
  isShuttingDown(): boolean;
}

export function createShutdown(plan: ShutdownPlan): Shutdown {
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  let shuttingDown = false;
  let under: Promise<number> | undefined;

  function shutdown(code: number, reason: string): Promise<number> {
    under ??= (async () => {
      shuttingDown = true;
      plan.log(`shutting down (${reason})`);
      const deadline = Date.now() + plan.timeoutMs;
      plan.quiesce();
      await plan.stopWork();
      // After a crash with onError 'exit' the row keeps saying error: that is what happened.
      if (!SILENT_REASONS.has(reason)) plan.reporter.enqueue({ kind: 'stopped' });
      const flushed = await plan.reporter.flush(Math.max(250, deadline - Date.now()));
      if (!flushed) plan.log('could not deliver the final report before the shutdown timeout');
      plan.reporter.close();
      await plan.release();
      finish(code);
      if (plan.exitProcess && EXITING_REASONS.has(reason)) runtime.exitProcess(code);
      return code;
    })();
    return under;
  }

  return { done, shutdown, isShuttingDown: () => shuttingDown };
}

export interface ShutdownTriggers {
  handleSignals: boolean;
  catchEscapedErrors: boolean;
  signal?: AbortSignal;
  exitProcess: boolean;
  shutdown: Shutdown['shutdown'];
  onEscapedError(error: unknown): void;
}

/** Installs what may end the agent; returns what removes the process hooks again. */
export function installShutdownTriggers(triggers: ShutdownTriggers): runtime.Unsubscribe {
  const cleanups: runtime.Unsubscribe[] = [];
  if (triggers.handleSignals) {
    let signals = 0;
    cleanups.push(
      runtime.onTerminationSignal((signal) => {
        signals += 1;
        if (signals > 1 && triggers.exitProcess) runtime.exitProcess(1); // a second Ctrl-C means now
        void triggers.shutdown(0, signal);
      }),
    );
  }
  if (triggers.catchEscapedErrors) cleanups.push(runtime.onEscapedError(triggers.onEscapedError));
  if (triggers.signal) {
    const external = triggers.signal;
    if (external.aborted) void triggers.shutdown(0, 'signal');
    else external.addEventListener('abort', () => void triggers.shutdown(0, 'signal'), { once: true });
  }
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}
