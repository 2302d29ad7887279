// Fault scenario: the stack stops and starts again on the same port and data directory while a
// fleet of workers runs. Shared by the integration test (10 workers) and the soak (50 workers).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SWEEP_JOB_NAME } from '@agent-status/domain';
import { startStack, type RunningStack } from '@agent-status/stack';
import { command } from './commands.ts';
import { eventually, sleep } from '../eventually.ts';
import { startFleet } from './fleet.ts';
import { freePort } from '../free-port.ts';
import { apiKeys, KEY_MODEL } from '../stack.ts';
import { eventsSince, historyProblems, lastEventId } from './history.ts';
import { provisionAgents, workerNames } from './provision.ts';

export interface RestartOptions {
  workers: number;
  /** How long the stack stays down. */
  outageMs: number;
  heartbeatIntervalMs: number;
  log?: (line: string) => void;
}

export interface RestartReport {
  workers: number;
  outageMs: number;
  /** Time startStack() took the second time (database reopened, migrations checked, modules up). */
  restartMs: number;
  /** Per worker: from the stack being back to the worker's first heartbeat after that (database clock). */
  reportAgainMs: { max: number; p50: number };
  /** Workers given a stop command just before the outage, and how long after the return it took effect. */
  commanded: number;
  commandTookEffectMs: number;
  offlineOnlinePairs: number;
  /** Everything that went wrong; empty on success. */
  problems: string[];
}

export async function stackRestartScenario(opts: RestartOptions): Promise<RestartReport> {
  const log = opts.log ?? (() => undefined);
  // The data directory inside a folder of its own: the stack keeps its signing key next to it.
  const parent = await mkdtemp(path.join(os.tmpdir(), 'agent-status-restart-'));
  const dataDir = path.join(parent, 'pglite');
  const port = await freePort();
  const start = () =>
    startStack({
      port,
      dataDir,
      keyModel: KEY_MODEL,
      cronIntervalOverrides: { [SWEEP_JOB_NAME]: 500 },
      log: () => undefined,
    });
  const heartbeat = opts.heartbeatIntervalMs;
  let stack: RunningStack | undefined = await start();
  const problems: string[] = [];
  const names = workerNames('Restart Worker', opts.workers);
  const commanded = names.slice(0, Math.max(1, Math.floor(names.length / 5)));
  const fleet = startFleet({
    url: stack.url,
    anonKey: apiKeys(stack).publishable,
    tokens: await provisionAgents(stack.db, names),
    heartbeatIntervalMs: heartbeat,
    pollIntervalMs: heartbeat,
  });
  try {
    const first = stack;
    for (const name of names) await command(first.url, apiKeys(first).secret, 'start', name);
    await eventually(
      () => runningCount(first),
      (n) => n === names.length,
      `${names.length} workers running`,
      30_000,
      200,
    );
    log(`${names.length} workers running`);

    const baseline = await lastEventId(first.db);
    const stopGenerations = new Map<string, number>();
    // "Just before the outage": no worker can have polled between these commands and the stop.
    for (const name of commanded)
      stopGenerations.set(name, await command(first.url, apiKeys(first).secret, 'stop', name));
    await stack.stop();
    stack = undefined;
    const ticksAtOutage = new Map([...fleet.work].map(([name, w]) => [name, w.ticks]));
    await sleep(opts.outageMs);
    for (const [name, w] of fleet.work) {
      if (w.running !== 1 || w.ticks <= ticksAtOutage.get(name)!)
        problems.push(`${name}: work did not keep running during the outage`);
    }

    const restartBegan = Date.now();
    stack = await start();
    const second = stack;
    const restartMs = Date.now() - restartBegan;
    const { rows } = await second.db.query<{ now: string }>('select now()::text as now');
    const returnedAt = rows[0].now;
    log(`stack back after ${restartMs} ms`);

    // Each worker's first heartbeat after the return, by the database's clock.
    const firstBeat = new Map<string, number>();
    const deadline = Date.now() + 2 * heartbeat + 2_000;
    while (firstBeat.size < names.length && Date.now() < deadline) {
      const { rows: beats } = await second.db.query<{ agent_name: string; ms: number }>(
        `select agent_name, (extract(epoch from last_heartbeat - $1::timestamptz) * 1000)::float8 as ms
           from public.agent_status where agent_name = any($2::text[]) and last_heartbeat > $1::timestamptz`,
        [returnedAt, names],
      );
      for (const b of beats) if (!firstBeat.has(b.agent_name)) firstBeat.set(b.agent_name, b.ms);
      await sleep(50);
    }
    const delays = [...firstBeat.values()].sort((a, b) => a - b);
    for (const name of names)
      if (!firstBeat.has(name)) problems.push(`${name}: no heartbeat within ${2 * heartbeat + 2_000} ms of the return`);
    for (const [name, ms] of firstBeat)
      if (ms > 2 * heartbeat)
        problems.push(`${name}: first heartbeat ${Math.round(ms)} ms after the return (> 2 intervals)`);

    // The stop commands issued before the outage are carried out after it.
    await eventually(
      () => stoppedAsCommanded(second, stopGenerations),
      (n) => n === commanded.length,
      'the stop commands issued before the outage to take effect',
      4 * heartbeat + 5_000,
      100,
    ).catch((error: Error) => problems.push(error.message));
    const commandTookEffectMs = Date.now() - restartBegan - restartMs;
    for (const name of commanded)
      if (fleet.work.get(name)!.running !== 0) problems.push(`${name}: work still running after the stop`);

    // Let the sweep run a few times so that an agent wrongly left offline would show.
    await sleep(Math.max(1_500, heartbeat));
    const history = await eventsSince(second.db, baseline, names);
    let offlineOnlinePairs = 0;
    for (const [name, events] of history) {
      problems.push(...historyProblems(name, events, stopGenerations.has(name) ? ['command', 'status'] : []));
      offlineOnlinePairs += events.filter((e) => e.kind === 'offline').length;
    }
    problems.push(...fleet.ended.map((name) => `${name}: worker ended during the test`));
    return {
      workers: names.length,
      outageMs: opts.outageMs,
      restartMs,
      reportAgainMs: {
        max: Math.round(delays.at(-1) ?? NaN),
        p50: Math.round(delays[Math.floor(delays.length / 2)] ?? NaN),
      },
      commanded: commanded.length,
      commandTookEffectMs,
      offlineOnlinePairs,
      problems,
    };
  } finally {
    await fleet.stop().catch(() => undefined);
    await stack?.stop();
    await rm(parent, { recursive: true, force: true });
  }
}

async function runningCount(stack: RunningStack): Promise<number> {
  const { rows } = await stack.db.query<{ n: number }>(
    `select count(*)::int as n from public.agent_overview where agent_name like 'Restart Worker %' and status = 'running' and not pending`,
  );
  return rows[0].n;
}

async function stoppedAsCommanded(stack: RunningStack, generations: Map<string, number>): Promise<number> {
  const { rows } = await stack.db.query<{ agent_name: string; status: string; observed_generation: number }>(
    `select agent_name, status::text as status, observed_generation::int as observed_generation
       from public.agent_status where agent_name = any($1::text[])`,
    [[...generations.keys()]],
  );
  return rows.filter((r) => r.status === 'stopped' && r.observed_generation === generations.get(r.agent_name)).length;
}
