// `npm run bench [-- --quick] [-- --only=ingest,db-heartbeat,command,start-all,dashboard,idle,alerts,npm-start]
// [-- --sign-ins=N]`: the performance
// figures against the local stack (in-memory PGlite, or a fresh database on DATABASE_URL), printed as
// one table and written to .data/bench-results.json. See docs/performance.md for methodology and results.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInsOption } from './args.ts';
import { measureAlertLatency } from './alert-latency.ts';
import { measureCommandLatency } from './command-latency.ts';
import { measureDashboard } from './dashboard.ts';
import { measureDbHeartbeat } from './db-heartbeat.ts';
import { ensureFleet, startBenchStack, trimFleet, type RunningStack } from './fleet.ts';
import { measureHeartbeatIngest } from './heartbeat-ingest.ts';
import { measureIdleCost } from './idle-cost.ts';
import { measureNpmStart } from './npm-start.ts';
import { measureStartAll } from './start-all.ts';
import { notMeasured, renderMarkdown, renderTable, type Figure } from './table.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = path.join(ROOT, '.data', 'bench-results.json');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const log = (line: string) => console.error(line);
let signIns: number;
try {
  signIns = signInsOption(args, quick);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

type Measure = (stack: RunningStack) => Promise<{ figures: Figure[]; details: unknown }>;

/** Suites that run whole programs of their own (npm start), before the bench's stack exists. */
const STANDALONE: { key: string; title: string; measure: () => Promise<{ figures: Figure[]; details: unknown }> }[] = [
  {
    key: 'npm-start',
    title: '`npm start`: warm start and idle memory',
    measure: () =>
      measureNpmStart(
        quick
          ? { starts: 1, settleMs: 15_000, samples: 2, sampleEveryMs: 2_000, log }
          : { starts: 3, settleMs: 30_000, samples: 3, sampleEveryMs: 5_000, log },
      ),
  },
];

const SUITES: { key: string; title: string; measure: Measure }[] = [
  {
    key: 'command',
    title: 'command → agent acknowledged',
    measure: (stack) =>
      measureCommandLatency(
        stack,
        quick
          ? { workers: 3, pollingSamples: 6, pushSamples: 10, warmupSamples: 1, log }
          : { workers: 5, pollingSamples: 25, pushSamples: 60, warmupSamples: 3, log },
      ),
  },
  {
    key: 'start-all',
    title: 'start-all over 1,000 agents',
    measure: (stack) => measureStartAll(stack, quick ? { runs: 3, warmup: 1, log } : { runs: 9, warmup: 2, log }),
  },
  {
    key: 'ingest',
    title: 'heartbeat ingest',
    measure: async (stack) => {
      try {
        return await measureHeartbeatIngest(
          stack,
          quick
            ? { concurrency: 32, warmupMs: 500, durationMs: 2000, rounds: 1, curve: [100, 5000], log }
            : { concurrency: 32, warmupMs: 1500, durationMs: 6000, rounds: 3, curve: [100, 5000], log },
        );
      } finally {
        await trimFleet(stack, 1000);
      }
    },
  },
  {
    key: 'db-heartbeat',
    title: 'database time per heartbeat (PostgreSQL 15, pg_stat_statements)',
    measure: (stack) =>
      measureDbHeartbeat(
        stack,
        quick ? { rounds: 3, calls: 500, agents: 100, log } : { rounds: 5, calls: 2000, agents: 100, log },
      ),
  },
  {
    key: 'idle',
    title: 'idle cost',
    measure: (stack) => {
      // PostgreSQL backends flush their statistics up to 10 s late; PGlite's single session at once.
      const settleMs = stack.db.kind === 'postgres' ? 12_000 : quick ? 2_000 : 5_000;
      return measureIdleCost(
        stack,
        quick ? { agents: 10, settleMs, windowMs: 10_000, log } : { agents: 25, settleMs, windowMs: 60_000, log },
      );
    },
  },
  {
    key: 'alerts',
    title: 'event → alert delivered',
    measure: (stack) => measureAlertLatency(stack, quick ? { samples: 5, log } : { samples: 20, log }),
  },
  {
    key: 'dashboard',
    title: 'dashboard in Chromium, 1,000 and 10,000 agents',
    measure: (stack) =>
      measureDashboard(
        stack,
        quick
          ? { signInRuns: signIns, changeRuns: 3, idleMs: 3000, idleWindows: 2, fleets: [1000, 10_000], log }
          : { signInRuns: signIns, changeRuns: 15, idleMs: 10_000, idleWindows: 6, fleets: [1000, 10_000], log },
      ),
  },
];

async function machine(stack?: RunningStack) {
  const rows = stack
    ? (await stack.db.query<{ version: string }>('select version() as version')).rows
    : [{ version: 'none (no suite needed the bench stack)' }];
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    database: `${stack?.db.kind ?? 'no stack'}: ${rows[0].version.split(',')[0]}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main() {
  const started = Date.now();
  log(
    `bench: ${quick ? 'quick smoke run' : 'full run'} on ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (in memory)'}`,
  );
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const timings: Record<string, number> = {};
  const runSuite = async (suite: { key: string; title: string }, measure: () => ReturnType<Measure>) => {
    if (only && !only.includes(suite.key)) return;
    log(`— ${suite.title}`);
    const suiteStarted = Date.now();
    try {
      const result = await measure();
      figures.push(...result.figures);
      details[suite.key] = result.details;
    } catch (error) {
      log(`  failed: ${(error as Error).stack ?? String(error)}`);
      figures.push(notMeasured(suite.title, '', (error as Error).message));
    }
    timings[suite.key] = Math.round((Date.now() - suiteStarted) / 1000);
  };
  for (const suite of STANDALONE) await runSuite(suite, suite.measure);
  let host = await machine();
  if (SUITES.some((suite) => !only || only.includes(suite.key))) {
    const stack = await startBenchStack();
    try {
      host = await machine(stack);
      await ensureFleet(stack, 1000);
      for (const suite of SUITES) await runSuite(suite, () => suite.measure(stack));
    } finally {
      await stack.stop();
    }
  }
  const result = {
    when: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { ...host, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    suiteSeconds: timings,
    figures,
    details,
  };
  await mkdir(path.dirname(RESULTS), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
  console.log(renderTable(figures));
  if (args.includes('--markdown')) console.log(`\n${renderMarkdown(figures)}`);
  console.log(
    `\n${host?.cpu}, ${host?.database}; ${result.durationSeconds} s; written to ${path.relative(ROOT, RESULTS)}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
