// The long-running worker: reports, heartbeats, polls the desired state and makes the work obey it.
//
// Desired state → action (reconcile):
//   stopped                                  → abort the work's signal, await it, report stopped
//   running, no work                         → start the work, report started
//   running, work, newer generation, restart → stop the work, start it again: exactly once per generation
//   running, work, newer generation, other   → nothing to do (e.g. stop+start between two polls): acknowledge
// The generation carried out travels as p_observed_generation on every later report (the acknowledgement).
import { backoffCeiling, sleep } from './backoff.ts';
import { createAgentClient, type AgentClient, type AgentInfo, type WakeupMessage } from './client.ts';
import { loadAgentConfig, type AgentConfig } from './config.ts';
import { DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS } from './constants.ts';
import { createReporter, type PendingReport, type Reporter } from './reporter.ts';
import type { Desired } from './result.ts';
import * as runtime from './runtime.ts';
import { describeError } from './truncate.ts';

export interface WorkContext {
  name: string;
  /** The desired-state generation this run of the work carries out. */
  generation: number;
  /** Fire-and-forget reports through the agent's coalescing queue: the work never waits on monitoring. */
  reportActivity(message: string): void;
  reportWarning(message: string, options?: { health?: number }): void;
  reportError(message: string, options?: { health?: number }): void;
  /** Back to running after a warning or an error (health 100 unless given). */
  reportRecovered(options?: { health?: number }): void;
  log(line: string): void;
}

export type Work = (signal: AbortSignal, context: WorkContext) => Promise<void> | void;

export interface RunAgentOptions {
  name: string;
  /** Runs while the desired state is running; must return (or reject) soon after `signal` aborts. */
  work: Work;
  heartbeatIntervalMs?: number;
  /**
   * How often to ask for the desired state (each ask is also a heartbeat), capped at the heartbeat interval.
   * A command whose push wake-up is lost is carried out at the next ask, so at most one poll interval late.
   * Default: 2 s while push is not subscribed or not proven, the heartbeat interval while it works.
   */
  pollIntervalMs?: number;
  /** Subscribe to push wake-ups (Realtime Broadcast `agent-wakeup:<agent_id>`). Default true. */
  wakeup?: boolean;
  /** What a crash of the work (rejection, throw, escaped error) leads to. Default 'restart'. */
  onError?: 'restart' | 'exit';
  /** A run that lasted this long before crashing resets the restart backoff. Default 10 s. */
  minUptimeMs?: number;
  /** First restart delay after a crash; doubles per consecutive crash. Default 1 s. */
  restartDelayMs?: number;
  /**
   * Cap for restart delays and for report retry delays. Default 30 s. Report retries are also capped
   * at the heartbeat interval, so a worker reports again within one interval of the backend's return.
   */
  maxBackoffMs?: number;
  /** Budget for stopping the work and sending the final report. Default 5 s. */
  shutdownTimeoutMs?: number;
  info?: { version?: string };
  /** Aborting it shuts the agent down like SIGTERM (without exiting the process). */
  signal?: AbortSignal;
  /** Exit the process after a SIGINT/SIGTERM shutdown (0) or a crash with onError 'exit' (1). Default true. */
  exitProcess?: boolean;
  /** Listen to SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
  /** Treat unhandled rejections and uncaught exceptions as crashes of the work. Default true. */
  catchEscapedErrors?: boolean;
  /** Defaults to the environment (SUPABASE_URL + AGENT_TOKEN/SUPABASE_ANON_KEY or SUPABASE_SERVICE_ROLE_KEY). */
  config?: AgentConfig;
  client?: AgentClient;
  log?: (line: string) => void;
  random?: () => number;
}

/** Resolves to the exit code once the agent has shut down; `stop()` shuts it down. */
export type AgentRun = Promise<number> & {
  stop(): Promise<number>;
  /** Ask for the desired state now (what a push wake-up does). */
  pollNow(): void;
};

export const DEFAULT_POLL_INTERVAL_MS = DEFAULT_POLL_INTERVAL_SECONDS * 1000;
const DEFAULTS = {
  minUptimeMs: 10_000,
  restartDelayMs: 1_000,
  maxBackoffMs: 30_000,
  shutdownTimeoutMs: 5_000,
};

/** Shutdowns that end the process (when exitProcess); stop() and options.signal leave it to the caller. */
const EXITING_REASONS = new Set(['SIGINT', 'SIGTERM', 'crash']);

interface RunningWork {
  controller: AbortController;
  generation: number;
  startedAt: number;
  stopping: boolean;
  done: Promise<void>;
}

export function runAgent(options: RunAgentOptions): AgentRun {
  const name = options.name;
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('runAgent needs a non-empty name');
  if (typeof options.work !== 'function') throw new TypeError('runAgent needs a work function');
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS * 1000;
  const pollIntervalMs = Math.min(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, heartbeatIntervalMs);
  // The pace while push works: the caller's poll interval if one was given, else every heartbeat.
  const pushedPollIntervalMs = options.pollIntervalMs === undefined ? heartbeatIntervalMs : pollIntervalMs;
  const minUptimeMs = options.minUptimeMs ?? DEFAULTS.minUptimeMs;
  const restartDelayMs = options.restartDelayMs ?? DEFAULTS.restartDelayMs;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULTS.maxBackoffMs;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs;
  const exitProcess = options.exitProcess ?? true;
  const log = options.log ?? ((line: string) => console.error(`[${name}] ${line}`));
  const ownsClient = !options.client;
  const client = options.client ?? createAgentClient(options.config ?? loadAgentConfig());
  const info: AgentInfo = {
    host: runtime.hostName(),
    pid: runtime.processId(),
    version: options.info?.version,
    heartbeat_interval_seconds: Math.max(1, Math.round(heartbeatIntervalMs / 1000)),
  };

  let desired: Desired | undefined;
  let carriedOut: number | undefined;
  let work: RunningWork | undefined;
  let crashes = 0;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  let restartGeneration: number | undefined;
  let finishedGeneration: number | undefined;
  let shuttingDown = false;
  // Push is trusted as soon as the channel is subscribed, so an idle agent with the default settings polls
  // at its heartbeat pace (polling every 2 s forever would cost five times the requests on a metered
  // platform). If the database does not broadcast after all, the first poll that finds a generation no
  // wake-up announced distrusts push and goes back to the fast pace. A lost push costs at most one poll
  // interval: the caller's, or by default the heartbeat interval.
  let channelUp = false;
  let pushTrusted = false;
  let pushedGeneration = -1;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribeWakeup: (() => void) | undefined;
  const cleanups: Array<() => void> = [];

  const reporter: Reporter = createReporter({
    client,
    agentName: name,
    snapshot: () => ({ observedGeneration: carriedOut, info }),
    onAnswer,
    backoff: { baseMs: 500, maxMs: Math.min(maxBackoffMs, heartbeatIntervalMs) },
    random: options.random,
    onFailure: (error, report, retryInMs) => {
      if (retryInMs === null) log(`report "${report.kind}" rejected (${error.code}): ${error.message}`);
      else if (failuresLogged++ === 0) log(`backend unreachable (${error.code}: ${error.message}); retrying with backoff`);
    },
    onRecovered: (failures) => {
      failuresLogged = 0;
      log(`backend reachable again after ${failures} failed attempt(s)`);
    },
  });
  let failuresLogged = 0;
  const report = (pending: PendingReport) => reporter.enqueue(pending);

  // ------------------------------------------------------------ answers and reconciliation
  function onAnswer(answer: Desired) {
    // Answers arrive in order, but never let an older generation undo a newer one.
    if (desired && answer.generation < desired.generation) return;
    const first = !desired;
    if (pushTrusted && desired && answer.generation > desired.generation && answer.generation > pushedGeneration) {
      pushTrusted = false;
      schedulePoll(); // back to the fast pace now, not after the slow timer already set
    }
    desired = answer;
    if (first && options.wakeup !== false) subscribeWakeup(answer.agentId);
    scheduleReconcile();
  }

  let reconciling: Promise<void> | undefined;
  let reconcileAgain = false;
  function scheduleReconcile() {
    if (reconciling) {
      reconcileAgain = true;
      return;
    }
    reconciling = (async () => {
      do {
        reconcileAgain = false;
        await reconcile();
      } while (reconcileAgain);
    })().finally(() => (reconciling = undefined));
  }

  async function reconcile() {
    if (shuttingDown || !desired) return;
    const target = desired;
    if (target.desiredState === 'stopped') {
      cancelRestart();
      if (work) {
        await stopWork();
        if (shuttingDown) return;
        carriedOut = target.generation;
        report({ kind: 'stopped' });
      } else if (carriedOut === undefined || carriedOut < target.generation) {
        // Nothing runs here, but the row may still say running (e.g. after a crash of the process).
        carriedOut = target.generation;
        report({ kind: 'stopped' });
      }
      return;
    }
    if (work) {
      if (target.generation <= work.generation) return;
      if (target.lastCommand === 'restart') {
        log(`restart requested (generation ${target.generation})`);
        await stopWork();
        if (shuttingDown) return;
        startWork(target.generation);
      } else {
        work.generation = target.generation;
        carriedOut = target.generation;
        report({ kind: 'heartbeat' });
      }
      return;
    }
    if (restartTimer !== undefined) {
      // Waiting out a crash backoff; an operator's newer command starts it now.
      if (restartGeneration !== undefined && target.generation > restartGeneration) {
        cancelRestart();
        crashes = 0;
        startWork(target.generation);
      }
      return;
    }
    if (finishedGeneration === target.generation) return;
    startWork(target.generation);
  }

  // ------------------------------------------------------------ the work
  function startWork(generation: number) {
    finishedGeneration = undefined;
    const controller = new AbortController();
    const run: RunningWork = { controller, generation, startedAt: Date.now(), stopping: false, done: Promise.resolve() };
    const context: WorkContext = {
      name,
      get generation() {
        return run.generation;
      },
      reportActivity: (message) => report({ kind: 'activity', message }),
      reportWarning: (message, o) => report({ kind: 'warning', message, health: o?.health }),
      reportError: (message, o) => report({ kind: 'error', message, health: o?.health }),
      reportRecovered: (o) => report({ kind: 'recovered', health: o?.health }),
      log,
    };
    work = run;
    carriedOut = generation;
    report({ kind: 'started' });
    log(`work started (generation ${generation})`);
    run.done = (async () => {
      try {
        await options.work(controller.signal, context);
        if (!run.stopping) workFinished(run);
      } catch (error) {
        if (!run.stopping) workCrashed(run, error);
      }
    })();
  }

  async function stopWork() {
    const run = work;
    if (!run) return;
    run.stopping = true;
    run.controller.abort(new Error('agent stopping'));
    const settled = await Promise.race([run.done.then(() => true), sleep(workStopBudget()).then(() => false)]);
    if (!settled) log(`work ignored its abort signal for ${workStopBudget()} ms; reporting stopped anyway`);
    if (work === run) work = undefined;
    log('work stopped');
  }

  /** Leave part of the shutdown budget for the final report. */
  function workStopBudget() {
    return Math.max(0, shutdownTimeoutMs - Math.min(1_000, shutdownTimeoutMs / 4));
  }

  function workFinished(run: RunningWork) {
    if (work !== run) return;
    work = undefined;
    finishedGeneration = run.generation;
    log('work returned by itself; waiting for the next start or restart');
    report({ kind: 'stopped' });
  }

  function workCrashed(run: RunningWork, error: unknown) {
    if (work !== run) return;
    work = undefined;
    const message = describeError(error);
    log(`work crashed: ${message}`);
    report({ kind: 'error', message });
    if (options.onError === 'exit') {
      void shutdown(1, 'crash');
      return;
    }
    if (Date.now() - run.startedAt >= minUptimeMs) crashes = 0;
    const delay = backoffCeiling(crashes, { baseMs: restartDelayMs, maxMs: maxBackoffMs });
    crashes += 1;
    restartGeneration = run.generation;
    log(`restarting in ${delay} ms`);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      restartGeneration = undefined;
      if (!shuttingDown && desired?.desiredState === 'running') startWork(Math.max(run.generation, desired.generation));
    }, delay);
  }

  function cancelRestart() {
    if (restartTimer !== undefined) clearTimeout(restartTimer);
    restartTimer = undefined;
    restartGeneration = undefined;
  }

  // ------------------------------------------------------------ polling and push
  function pollNow() {
    if (shuttingDown) return;
    report({ kind: 'heartbeat' });
    schedulePoll();
  }

  function schedulePoll() {
    if (pollTimer !== undefined) clearTimeout(pollTimer);
    if (shuttingDown) return;
    pollTimer = setTimeout(pollNow, channelUp && pushTrusted ? pushedPollIntervalMs : pollIntervalMs);
  }

  function subscribeWakeup(agentId: string) {
    const onWake = (message: WakeupMessage) => {
      if (message.generation !== undefined) pushedGeneration = Math.max(pushedGeneration, message.generation);
      pushTrusted = channelUp;
      pollNow();
    };
    unsubscribeWakeup = client.subscribeWakeup(agentId, onWake, (status) => {
      const up = status === 'subscribed';
      if (up === channelUp) return;
      channelUp = up;
      pushTrusted = up;
      // On (re)subscription a change may have been missed while the channel was down: ask now.
      if (up) pollNow();
      else schedulePoll();
    });
  }

  // ------------------------------------------------------------ shutdown
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  let shutdownPromise: Promise<number> | undefined;

  function shutdown(code: number, reason: string): Promise<number> {
    shutdownPromise ??= (async () => {
      shuttingDown = true;
      log(`shutting down (${reason})`);
      const deadline = Date.now() + shutdownTimeoutMs;
      if (pollTimer !== undefined) clearTimeout(pollTimer);
      cancelRestart();
      unsubscribeWakeup?.();
      await stopWork();
      // After a crash with onError 'exit' the row keeps saying error: that is what happened.
      if (reason !== 'crash') report({ kind: 'stopped' });
      const flushed = await reporter.flush(Math.max(250, deadline - Date.now()));
      if (!flushed) log('could not deliver the final report before the shutdown timeout');
      reporter.close();
      for (const cleanup of cleanups) cleanup();
      if (ownsClient) await client.close().catch(() => undefined);
      finish(code);
      if (exitProcess && EXITING_REASONS.has(reason)) runtime.exitProcess(code);
      return code;
    })();
    return shutdownPromise;
  }

  if (options.handleSignals !== false) {
    let signals = 0;
    cleanups.push(
      runtime.onTerminationSignal((signal) => {
        signals += 1;
        if (signals > 1 && exitProcess) runtime.exitProcess(1); // a second Ctrl-C means now
        void shutdown(0, signal);
      }),
    );
  }
  if (options.catchEscapedErrors !== false) {
    cleanups.push(
      runtime.onEscapedError((error) => {
        const run = work;
        if (!run || shuttingDown) {
          log(`unhandled error outside the work: ${describeError(error)}`);
          return;
        }
        run.stopping = true;
        run.controller.abort(error);
        workCrashed(run, error);
      }),
    );
  }
  if (options.signal) {
    const external = options.signal;
    if (external.aborted) void shutdown(0, 'signal');
    else external.addEventListener('abort', () => void shutdown(0, 'signal'), { once: true });
  }

  // The first report is a poll: until it answers, the agent does not know whether it should run.
  pollNow();

  return Object.assign(done, {
    stop: () => shutdown(0, 'stop()'),
    pollNow,
  });
}
