// Command → agent acknowledged: an operator's restart through the Edge Function until the agent's
// observed_generation reaches the new generation, seen by the bench polling the database every 5 ms.
// Workers are the SDK's runAgent: polling only (default poll interval) or with push wake-up.
import { DEFAULT_POLL_INTERVAL_MS, runAgent, type AgentRun } from '@agent-status/agent-sdk';
import { ensureFleet, signedInOperator, sleep, type BenchAgent, type RunningStack } from './fleet.ts';
import { median, nowMs, p95, perBlock, round } from './stats.ts';
import { atMost, figure, type Figure } from './table.ts';

const DB_POLL_MS = 5;

export interface CommandLatencyOptions {
  workers: number;
  pollingSamples: number;
  pushSamples: number;
  warmupSamples: number;
  log: (line: string) => void;
}

/** Work that runs until told to stop, like a real long-running agent. */
const idleWork = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

function startWorkers(stack: RunningStack, agents: BenchAgent[], wakeup: boolean): AgentRun[] {
  return agents.map((agent) =>
    runAgent({
      name: agent.name,
      work: idleWork,
      wakeup,
      config: { url: stack.url, anonKey: stack.publishableKey ?? stack.anonKey, token: agent.token },
      handleSignals: false,
      exitProcess: false,
      catchEscapedErrors: false,
      log: () => {},
    }),
  );
}

async function observedGeneration(stack: RunningStack, agentId: string): Promise<number> {
  const { rows } = await stack.db.query<{ g: string }>(
    'select observed_generation::text as g from public.agent_status where id = $1',
    [agentId],
  );
  return Number(rows[0].g);
}

async function generation(stack: RunningStack, agentId: string): Promise<number> {
  const { rows } = await stack.db.query<{ g: string }>(
    'select generation::text as g from public.agent_desired_state where agent_id = $1',
    [agentId],
  );
  return Number(rows[0].g);
}

async function waitForAck(stack: RunningStack, agentId: string, target: number, timeoutMs: number): Promise<boolean> {
  const deadline = nowMs() + timeoutMs;
  while (nowMs() < deadline) {
    if ((await observedGeneration(stack, agentId)) >= target) return true;
    await sleep(DB_POLL_MS);
  }
  return false;
}

interface ModeResult {
  ackMs: number[];
  functionMs: number[];
  timeouts: number;
}

async function measureMode(
  stack: RunningStack,
  agents: BenchAgent[],
  wakeup: boolean,
  samples: number,
  o: CommandLatencyOptions,
): Promise<ModeResult> {
  const operator = await signedInOperator(stack);
  const invoke = async (route: string, agentName: string) => {
    const started = nowMs();
    const { error } = await operator.functions.invoke(`agents/${route}`, { body: { agent_name: agentName } });
    if (error) throw new Error(`agents/${route} ${agentName}: ${error.message}`);
    return nowMs() - started;
  };
  const workers = startWorkers(stack, agents, wakeup);
  const timeoutMs = wakeup ? 5_000 : 10_000;
  const result: ModeResult = { ackMs: [], functionMs: [], timeouts: 0 };
  try {
    // Every worker runs its work before the first measured restart.
    for (const agent of agents) {
      const target = (await generation(stack, agent.id)) + 1;
      await invoke('restart', agent.name);
      if (!(await waitForAck(stack, agent.id, target, 15_000)))
        throw new Error(`${agent.name} never acknowledged its first command`);
    }
    for (let i = 0; i < o.warmupSamples + samples; i++) {
      const agent = agents[i % agents.length];
      // A random gap over a whole poll cycle puts the command at a random point of the worker's polling
      // (a fixed gap would land every command at the same phase and bias the polling figure).
      await sleep(wakeup ? 100 + Math.random() * 300 : Math.random() * DEFAULT_POLL_INTERVAL_MS);
      const target = (await generation(stack, agent.id)) + 1;
      const started = nowMs();
      const request = invoke('restart', agent.name);
      const acknowledged = await waitForAck(stack, agent.id, target, timeoutMs);
      const ackMs = nowMs() - started;
      const functionMs = await request;
      if (i < o.warmupSamples) continue;
      if (!acknowledged) result.timeouts += 1;
      result.ackMs.push(ackMs);
      result.functionMs.push(functionMs);
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
  o.log(
    `  command latency ${wakeup ? 'push wake-up' : 'polling only'}: p50 ${round(median(result.ackMs))} ms, p95 ${round(p95(result.ackMs))} ms, ` +
      `Edge Function p50 ${round(median(result.functionMs))} ms, ${result.timeouts} timeouts`,
  );
  return result;
}

export async function measureCommandLatency(
  stack: RunningStack,
  o: CommandLatencyOptions,
): Promise<{ figures: Figure[]; details: unknown }> {
  const fleet = await ensureFleet(stack, o.workers);
  const polling = await measureMode(stack, fleet, false, o.pollingSamples, o);
  const push = await measureMode(stack, fleet, true, o.pushSamples, o);
  // Each mode's samples in three consecutive runs: the statistic of each run, then their median and spread.
  const RUNS = 3;
  const note = (m: ModeResult, n: number) =>
    `${n} restarts over ${o.workers} workers in ${RUNS} runs${m.timeouts ? `, ${m.timeouts} not acknowledged in time (counted at the timeout)` : ''}`;
  return {
    figures: [
      figure(
        `command → acknowledged, polling only (default ${DEFAULT_POLL_INTERVAL_MS / 1000} s): p50`,
        perBlock(polling.ackMs, RUNS, median),
        'ms',
        { note: note(polling, o.pollingSamples) },
      ),
      figure('command → acknowledged, polling only: p95', perBlock(polling.ackMs, RUNS, p95), 'ms'),
      figure('command → acknowledged, push wake-up: p50', perBlock(push.ackMs, RUNS, median), 'ms', {
        note: note(push, o.pushSamples),
      }),
      figure('command → acknowledged, push wake-up: p95', perBlock(push.ackMs, RUNS, p95), 'ms', {
        goal: atMost(250, 'ms'),
      }),
      figure(
        'restart request through the Edge Function: p50',
        perBlock([...polling.functionMs, ...push.functionMs], RUNS, median),
        'ms',
      ),
    ],
    details: { polling, push },
  };
}
