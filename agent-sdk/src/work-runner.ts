// The work's lifecycle: start it with an AbortSignal, stop it within a budget, notice when it returns or
// crashes, and restart it after a crash with exponential backoff (reset by a run that lasted minUptimeMs).
import { backoffCeiling, sleep } from './backoff.ts';
import type { AgentLog } from './agent-log.ts';
import type { AgentInfo } from './client.ts';
import type { PendingReport } from './reporter.ts';
import type { Work, WorkContext } from './run-options.ts';
import { describeError } from './truncate.ts';

export interface WorkRunnerOptions {
  name: string;
  work: Work;
  report(report: PendingReport): void;
  /** The agent's custom metrics (run-agent.ts): what the work's metric() and count() call. */
  metric(name: string, value: number): void;
  count(name: string, n?: number): void;
  /** The SDK's own diagnostics. */
  log(line: string): void;
  /** The agent's logger, handed to the work. */
  agentLog: AgentLog;
  /** What goes with an error report: the last log lines (crash context). */
  errorInfo(): AgentInfo | undefined;
  /** The work crashed: its error (with the stack) becomes the last line of the agent's log. */
  logCrash(error: unknown): void;
  onError: 'restart' | 'exit';
  minUptimeMs: number;
  restartDelayMs: number;
  maxBackoffMs: number;
  /** How long stop() waits for the work to end after its abort before giving up on it. */
  stopBudgetMs: number;
  /** Before the work runs (so that its own reports follow 'started'): it now carries out `generation`. */
  onStart(generation: number): void;
  /** The work crashed with onError 'exit'. */
  onFatalCrash(): void;
  /** A crash backoff ran out: the generation to start again at, or undefined to stay stopped. */
  restartDue(crashedGeneration: number): number | undefined;
}

export interface WorkRunner {
  /** The generation the running work carries out; undefined when none runs. */
  runningGeneration(): number | undefined;
  /** The generation whose work returned by itself (cleared by the next start). */
  finishedGeneration(): number | undefined;
  /** The generation of the crashed run whose restart waits out its backoff. */
  restartPendingFor(): number | undefined;
  start(generation: number): void;
  /** Aborts the running work and waits for it, at most the stop budget. */
  stop(): Promise<void>;
  /** The running work now carries out `generation` too (a command that needed no action). */
  retarget(generation: number): void;
  cancelRestart(): void;
  /** An operator's command ends the backoff: start now, and forget the earlier crashes. */
  startSkippingBackoff(generation: number): void;
  /** An error that escaped the work's promise chain crashes it; false when no work runs. */
  crash(error: unknown): boolean;
}

interface Run {
  controller: AbortController;
  generation: number;
  startedAt: number;
  stopping: boolean;
  done: Promise<void>;
}

export function createWorkRunner(options: WorkRunnerOptions): WorkRunner {
  const { report, log } = options;
  let current: Run | undefined;
  let finished: number | undefined;
  let crashes = 0;
  let restart: { timer: ReturnType<typeof setTimeout>; generation: number } | undefined;

  function start(generation: number) {
    finished = undefined;
    const run: Run = {
      controller: new AbortController(),
      generation,
      startedAt: Date.now(),
      stopping: false,
      done: Promise.resolve(),
    };
    current = run;
    options.onStart(generation);
    report({ kind: 'started' });
    log(`work started (generation ${generation})`);
    run.done = (async () => {
      try {
        await options.work(run.controller.signal, contextFor(run));
        if (!run.stopping) returned(run);
      } catch (error) {
        if (!run.stopping) crashed(run, error);
      }
    })();
  }

  function contextFor(run: Run): WorkContext {
    return {
      name: options.name,
      get generation() {
        return run.generation;
      },
      reportActivity: (message) => report({ kind: 'activity', message }),
      reportWarning: (message, o) => report({ kind: 'warning', message, health: o?.health }),
      reportError: (message, o) => report({ kind: 'error', message, health: o?.health, info: options.errorInfo() }),
      reportRecovered: (o) => report({ kind: 'recovered', health: o?.health }),
      metric: options.metric,
      count: options.count,
      log: options.agentLog,
    };
  }

  async function stop() {
    const run = current;
    if (!run) return;
    run.stopping = true;
    run.controller.abort(new Error('agent stopping'));
    const settled = await Promise.race([run.done.then(() => true), sleep(options.stopBudgetMs).then(() => false)]);
    if (!settled) log(`work ignored its abort signal for ${options.stopBudgetMs} ms; reporting stopped anyway`);
    if (current === run) current = undefined;
    log('work stopped');
  }

  function returned(run: Run) {
    if (current !== run) return;
    current = undefined;
    finished = run.generation;
    log('work returned by itself; waiting for the next start or restart');
    report({ kind: 'stopped' });
  }

  function crashed(run: Run, error: unknown) {
    if (current !== run) return;
    current = undefined;
    const message = describeError(error);
    log(`work crashed: ${message}`);
    options.logCrash(error);
    report({ kind: 'error', message, info: options.errorInfo() });
    if (options.onError === 'exit') {
      options.onFatalCrash();
      return;
    }
    if (Date.now() - run.startedAt >= options.minUptimeMs) crashes = 0;
    const delay = backoffCeiling(crashes, { baseMs: options.restartDelayMs, maxMs: options.maxBackoffMs });
    crashes += 1;
    log(`restarting in ${delay} ms`);
    const timer = setTimeout(() => {
      restart = undefined;
      const generation = options.restartDue(run.generation);
      if (generation !== undefined) start(generation);
    }, delay);
    restart = { timer, generation: run.generation };
  }

  function cancelRestart() {
    if (restart) clearTimeout(restart.timer);
    restart = undefined;
  }

  function crash(error: unknown): boolean {
    const run = current;
    if (!run) return false;
    run.stopping = true;
    run.controller.abort(error);
    crashed(run, error);
    return true;
  }

  return {
    runningGeneration: () => current?.generation,
    finishedGeneration: () => finished,
    restartPendingFor: () => restart?.generation,
    start,
    stop,
    retarget(generation) {
      if (current) current.generation = generation;
    },
    cancelRestart,
    startSkippingBackoff(generation) {
      cancelRestart();
      crashes = 0;
      start(generation);
    },
    crash,
  };
}
