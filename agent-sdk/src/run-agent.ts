// The long-running worker: reports, heartbeats, polls the desired state and makes the work obey it.
// This file wires the parts together; each sub-task lives in a file of its own:
//   reconcile.ts    the decision: desired state + what runs here → one action (pure)
//   poll-pace.ts    when to ask next, and whether push wake-ups are trusted
//   work-runner.ts  the work's lifecycle, with crash backoff
//   shutdown.ts     ending once, within a budget, and what may ask for it
//   reporter.ts     the coalescing, retrying report queue
//   refusal.ts      what happens when Agent Status refuses the worker itself (revoked token, deleted agent)
//   instance.ts     this run's instance id, and standing down when a newer instance takes the agent over
//   metrics.ts      the work's custom metrics, kept until the next report carries them
//   agent-logs.ts   the agent's log: ring buffer, agent.log, console capture, live tail, crash context
import { createAgentClient, type AgentClient, type AgentInfo } from './client.ts';
import { createAgentLogs } from './agent-logs.ts';
import { loadAgentConfig, type AgentConfig } from './config.ts';
import { quietly } from './console-capture.ts';
import { STATUS_SET_BY } from './constants.ts';
import { createPollPace } from './poll-pace.ts';
import { generationAfterBackoff, reconcile, type ReconcileAction } from './reconcile.ts';
import { createRefusalGate, explainRefusal, isRefusal, type RefusalGate } from './refusal.ts';
import { createReporter, type PendingReport, type Reporter } from './reporter.ts';
import type { Desired } from './result.ts';
import { resolveSettings, type AgentRun, type RunAgentOptions, type RunSettings } from './run-options.ts';
import * as runtime from './runtime.ts';
import { createShutdown, installShutdownTriggers, STAND_DOWN } from './shutdown.ts';
import { createInstance } from './instance.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { describeError } from './truncate.ts';
import { createWorkRunner } from './work-runner.ts';

export function runAgent(options: RunAgentOptions): AgentRun {
  const resolved = resolveSettings(options);
  // The SDK's own diagnostics are never captured as the agent's log lines.
  const settings: RunSettings = { ...resolved, log: (line) => quietly(() => resolved.log(line)) };
  const { name, log } = settings;
  const ownsClient = !options.client;
  const config = options.client ? options.config : (options.config ?? loadAgentConfig());
  const client = options.client ?? createAgentClient(config as AgentConfig);
  const instance = createInstance();
  const logs = createAgentLogs({
    options: options.logs,
    secrets: [config?.token, config?.anonKey, config?.serviceRoleKey],
    instanceId: instance.id,
    publish: (batch) => client.publishLogs(batch, { agentName: name }),
    log,
  });
  const info: AgentInfo = instance.tag({
    host: runtime.hostName(),
    pid: runtime.processId(),
    version: options.info?.version,
    heartbeat_interval_seconds: Math.max(1, Math.round(settings.heartbeatIntervalMs / 1000)),
  });

  /** The latest desired state the backend answered. */
  let desired: Desired | undefined;
  /** The generation this agent has carried out: p_observed_generation on every report. */
  let carriedOut: number | undefined;
  let unsubscribeWakeup: (() => void) | undefined;
  let removeTriggers: (() => void) | undefined;

  const refusal = createRefusalGate(settings.refusedRetryMs);
  // Counters count per worker run: the instance id every report carries names the series.
  const metrics = createMetrics({ holdAfterRefusalMs: METRICS_HOLD_AFTER_REFUSAL_MS });
  const reporter = createAgentReporter(
    client,
    settings,
    refusal,
    options.random,
    () => ({ observedGeneration: carriedOut, info }),
    onAnswer,
    metrics,
  );
  const dropped = droppedMetricLog(log);
  // While refused, reports are dropped: the first one after the hold is the next attempt. Every report
  // carries what the worker last said it was doing, so the row heals if a one-shot script changed it.
  const report = (pending: PendingReport) => {
    info.state = STATUS_SET_BY[pending.kind] ?? info.state;
    if (!refusal.holding()) reporter.enqueue(pending);
  };
  const pace = createPollPace({ ...settings.pace, poll: () => report({ kind: 'heartbeat' }) });
  const runner = createWorkRunner({
    name,
    work: options.work,
    report,
    metric: (name, value) => dropped(name, metrics.gauge(name, value)),
    count: (name, n) => dropped(name, metrics.count(name, n)),
    log,
    agentLog: logs.log,
    errorInfo: logs.errorInfo,
    logCrash: logs.logCrash,
    onError: settings.onError,
    minUptimeMs: settings.minUptimeMs,
    restartDelayMs: settings.restartDelayMs,
    maxBackoffMs: settings.maxBackoffMs,
    stopBudgetMs: settings.workStopBudgetMs,
    onStart: (generation) => (carriedOut = generation),
    onFatalCrash: () => void ending.shutdown(1, 'crash'),
    restartDue: (crashed) => (ending.isShuttingDown() ? undefined : generationAfterBackoff(desired, crashed)),
  });
  const ending = createShutdown({
    log,
    timeoutMs: settings.shutdownTimeoutMs,
    exitProcess: settings.exitProcess,
    quiesce: () => {
      instance.exiting(); // the final report lets go of the agent, so the next run takes it quietly
      pace.stop();
      runner.cancelRestart();
      unsubscribeWakeup?.();
      logs.close();
    },
    stopWork: () => runner.stop(),
    reporter,
    release: async () => {
      removeTriggers?.();
      if (ownsClient) await client.close().catch(() => undefined);
    },
  });

  function onAnswer(answer: Desired) {
    if (instance.displacedBy(answer)) return standDown(answer.instanceId);
    if (refusal.accepted()) log('Agent Status accepts this worker again; monitoring resumes');
    // Answers arrive in order, but never let an older generation undo a newer one.
    if (desired && answer.generation < desired.generation) return;
    const first = !desired;
    pace.answered(desired?.generation, answer.generation);
    desired = answer;
    logs.watched(answer.logWatch?.seconds, answer.logWatch?.backlogRequest);
    if (first && options.wakeup !== false) {
      unsubscribeWakeup = client.subscribeWakeup(
        answer.agentId,
        (message) => pace.wakeup(message.generation),
        pace.channel,
        (message) => logs.watched(message.watchSeconds, message.backlogRequest),
      );
    }
    scheduleReconcile();
  }

  /** A newer instance of this agent holds it: this one stops its work and reports no more. */
  function standDown(holder: string | null | undefined) {
    if (ending.isShuttingDown()) return;
    log(
      `another worker instance (${holder?.slice(0, 8)}) took this agent over; this one (${instance.id.slice(0, 8)}) stands down: ` +
        'it stops its work and reports no more (the newer instance wins, see docs/running-agents.md)',
    );
    void ending.shutdown(0, STAND_DOWN);
  }

  // One reconciliation at a time; answers that arrive meanwhile are looked at once it is done.
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
        await reconcileOnce();
      } while (reconcileAgain);
    })().finally(() => (reconciling = undefined));
  }

  async function reconcileOnce() {
    if (ending.isShuttingDown() || !desired) return;
    const target = desired;
    const action = reconcile({
      desired: target,
      running: runner.runningGeneration(),
      carriedOut,
      finished: runner.finishedGeneration(),
      restartPending: runner.restartPendingFor(),
    });
    await carryOut(action, target.generation);
  }

  async function carryOut(action: ReconcileAction, generation: number) {
    switch (action) {
      case 'none':
        return;
      case 'cancel-restart':
        return runner.cancelRestart();
      case 'stop-work':
        runner.cancelRestart();
        await runner.stop();
        if (!ending.isShuttingDown()) acknowledge(generation, 'stopped');
        return;
      case 'report-stopped':
        // Nothing runs here, but the row may still say running (e.g. after a crash of the process).
        runner.cancelRestart();
        return acknowledge(generation, 'stopped');
      case 'restart-work':
        log(`restart requested (generation ${generation})`);
        await runner.stop();
        if (!ending.isShuttingDown()) runner.start(generation);
        return;
      case 'acknowledge':
        runner.retarget(generation);
        return acknowledge(generation, 'heartbeat');
      case 'start-work-skipping-backoff':
        return runner.startSkippingBackoff(generation);
      case 'start-work':
        return runner.start(generation);
    }
  }

  function acknowledge(generation: number, kind: 'stopped' | 'heartbeat') {
    carriedOut = generation;
    report({ kind });
  }

  removeTriggers = installShutdownTriggers({
    handleSignals: options.handleSignals !== false,
    catchEscapedErrors: options.catchEscapedErrors !== false,
    signal: options.signal,
    exitProcess: settings.exitProcess,
    shutdown: ending.shutdown,
    onEscapedError: (error) => {
      // With runAgent an error that escaped every promise chain belongs to the running work.
      if (ending.isShuttingDown() || !runner.crash(error))
        log(`unhandled error outside the work: ${describeError(error)}`);
    },
  });

  // The first report is a poll: until it answers, the agent does not know whether it should run.
  pace.pollNow();

  return Object.assign(ending.done, {
    instanceId: instance.id,
    stop: () => ending.shutdown(0, 'stop()'),
    pollNow: pace.pollNow,
  });
}

/**
 * The agent's report queue: retries capped at the heartbeat interval, an outage logged once, not per
 * attempt; a refusal of the worker itself holds reports back (refusal.ts) and is explained once.
 */
function createAgentReporter(
  client: AgentClient,
  settings: RunSettings,
  refusal: RefusalGate,
  random: (() => number) | undefined,
  snapshot: () => { observedGeneration?: number; info?: AgentInfo },
  onAnswer: (desired: Desired) => void,
  metrics: Metrics,
): Reporter {
  const { log } = settings;
  let failuresLogged = 0;
  return createReporter({
    client,
    agentName: settings.name,
    snapshot,
    onAnswer,
    metrics,
    onMetricsRefused: (error) =>
      log(
        `custom metrics refused (${error.code}: ${error.message}); the report went without them, ` +
          `and metrics wait ${METRICS_HOLD_AFTER_REFUSAL_MS / 1000} s before they are sent again`,
      ),
    backoff: { baseMs: 500, maxMs: Math.min(settings.maxBackoffMs, settings.heartbeatIntervalMs) },
    random,
    onFailure: (error, report, retryInMs) => {
      if (retryInMs === null && isRefusal(error)) {
        const { delayMs, fresh, first } = refusal.refused();
        const seconds = delayMs < 10_000 ? (delayMs / 1000).toFixed(1) : Math.round(delayMs / 1000);
        if (first) log(`${explainRefusal(error)} Asking again in ${seconds} s.`);
        else if (fresh) log(`still refused (${error.code}: ${error.message}); asking again in ${seconds} s`);
      } else if (retryInMs === null) log(`report "${report.kind}" rejected (${error.code}): ${error.message}`);
      else if (failuresLogged++ === 0)
        log(`backend unreachable (${error.code}: ${error.message}); retrying with backoff`);
    },
    onRecovered: (failures) => {
      failuresLogged = 0;
      log(`backend reachable again after ${failures} failed attempt(s)`);
    },
  });
}

/** How long a worker sends no metrics after the backend refused some (metrics.ts). */
const METRICS_HOLD_AFTER_REFUSAL_MS = 60_000;

/** A metric the work set that would be refused is dropped and logged, once per metric name. */
function droppedMetricLog(log: (line: string) => void) {
  const logged = new Set<string>();
  return (name: string, problem: string | null) => {
    if (!problem || logged.has(name) || logged.size >= 100) return;
    logged.add(name);
    log(`metric dropped: ${problem} (further problems with "${name}" are not logged)`);
  };
}
