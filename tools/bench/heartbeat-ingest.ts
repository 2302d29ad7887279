// Heartbeat ingest through the real path (SDK → /rest/v1/rpc/agent_report → SQL) against raw single-row
// UPDATEs on the same database handle, alternating in rounds within one run so machine noise cancels.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadRequest, LoadResult } from './heartbeat-load-process.ts';
import { ensureFleet, type BenchAgent, type RunningStack } from './fleet.ts';
import { percentile, round } from './stats.ts';
import { atLeast, atMost, figure, type Figure } from './table.ts';

const LOAD_PROCESS = fileURLToPath(new URL('./heartbeat-load-process.ts', import.meta.url));

export interface IngestOptions {
  /** Requests in flight (agents do not wait for each other). */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Alternating raw/RPC rounds at 1,000 agents. */
  rounds: number;
  /** Fleet sizes for the curve (one RPC and one raw window each). */
  curve: number[];
  log: (line: string) => void;
}

interface Window {
  perSecond: number;
  /** CPU time of the stack's process (the bench's own process) per answered request, µs. */
  stackCpuUs?: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

/** Heartbeats through the SDK in a separate process, as agents are separate processes. */
export function rpcWindow(
  stack: RunningStack,
  agents: BenchAgent[],
  o: IngestOptions,
  client: LoadRequest['client'],
): Promise<Window> {
  return new Promise((resolve, reject) => {
    // BENCH_CHILD_PROF=<dir> writes a CPU profile of the load generator (to see whether it, not the stack, is the limit).
    const profile = process.env.BENCH_CHILD_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROF}`]
      : [];
    const child = fork(LOAD_PROCESS, [], {
      execArgv: ['--import', 'tsx', ...profile],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: LoadResult | undefined;
    const cpuBefore = process.cpuUsage();
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!result) return reject(new Error(`heartbeat load process exited with ${code} before answering`));
      const cpu = process.cpuUsage(cpuBefore);
      resolve({ ...toWindow(result), stackCpuUs: (cpu.user + cpu.system) / Math.max(1, result.answered) });
    });
    const request: LoadRequest = {
      client,
      url: stack.url,
      anonKey: stack.publishableKey ?? stack.anonKey,
      tokens: agents.map((a) => a.token),
      concurrency: o.concurrency,
      warmupMs: o.warmupMs,
      durationMs: o.durationMs,
    };
    child.send(request);
  });
}

/** The floor: the cheapest statement that records a heartbeat, through the stack's own db handle. */
async function rawWindow(stack: RunningStack, agents: BenchAgent[], o: IngestOptions): Promise<Window> {
  let next = 0;
  let completed = 0;
  const latenciesMs: number[] = [];
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const end = measureFrom + o.durationMs;
  async function lane() {
    while (performance.now() < end) {
      const sent = performance.now();
      await stack.db.query('update public.agent_status set last_heartbeat = now() where id = $1', [
        agents[next++ % agents.length].id,
      ]);
      const done = performance.now();
      if (sent >= measureFrom && done <= end) {
        completed += 1;
        latenciesMs.push(done - sent);
      }
    }
  }
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  return toWindow({ completed, answered: completed, errors: 0, elapsedMs: o.durationMs, latenciesMs });
}

function toWindow(r: LoadResult): Window {
  return {
    perSecond: (r.completed * 1000) / r.elapsedMs,
    p50: percentile(r.latenciesMs, 50),
    p99: percentile(r.latenciesMs, 99),
    errors: r.errors,
    firstError: r.firstError,
  };
}

export async function measureHeartbeatIngest(
  stack: RunningStack,
  o: IngestOptions,
): Promise<{ figures: Figure[]; details: unknown }> {
  const describe = (w: Window) =>
    `${round(w.perSecond, 0)}/s p50 ${round(w.p50)} ms p99 ${round(w.p99)} ms${w.stackCpuUs ? ` stack CPU ${round(w.stackCpuUs, 0)} µs/req` : ''}${w.errors ? ` errors ${w.errors} (${w.firstError})` : ''}`;
  const fleet = await ensureFleet(stack, 1000);
  const http: Window[] = [];
  const sdk: Window[] = [];
  const raw: Window[] = [];
  for (let i = 1; i <= o.rounds; i++) {
    raw.push(await rawWindow(stack, fleet, o));
    o.log(`  heartbeat round ${i}: raw UPDATE   ${describe(raw.at(-1)!)}`);
    http.push(await rpcWindow(stack, fleet, o, 'http'));
    o.log(`  heartbeat round ${i}: HTTP → RPC   ${describe(http.at(-1)!)}`);
    sdk.push(await rpcWindow(stack, fleet, o, 'sdk'));
    o.log(`  heartbeat round ${i}: SDK → RPC    ${describe(sdk.at(-1)!)}`);
  }
  const ratios = http.map((w, i) => w.perSecond / raw[i].perSecond);
  const sdkRatios = sdk.map((w, i) => w.perSecond / raw[i].perSecond);
  const failed = [...http, ...sdk].reduce((sum, w) => sum + w.errors, 0);
  const firstError = [...http, ...sdk].find((w) => w.firstError)?.firstError;

  const curve: { agents: number; windows: Window[]; raw: Window[] }[] = [];
  for (const size of o.curve) {
    const agents = size === 1000 ? fleet : await ensureFleet(stack, size);
    const short = { ...o, durationMs: Math.max(1000, Math.round(o.durationMs / 2)) };
    const point = { agents: size, windows: [] as Window[], raw: [] as Window[] };
    for (let i = 1; i <= o.rounds; i++) {
      point.raw.push(await rawWindow(stack, agents, short));
      point.windows.push(await rpcWindow(stack, agents, short, 'http'));
      o.log(
        `  curve ${size} agents, round ${i}: HTTP → RPC ${describe(point.windows.at(-1)!)}; raw ${round(point.raw.at(-1)!.perSecond, 0)}/s`,
      );
    }
    curve.push(point);
  }

  // The throughput goal stands on PostgreSQL; on PGlite (Postgres in WebAssembly, one session inside the
  // stack's process) these rows inform, and docs/performance.md has the profile that explains its floor.
  const onPostgres = stack.db.kind === 'postgres';
  const goal = <T>(check: T) => (onPostgres ? check : undefined);
  const method = `${o.rounds} rounds (raw, HTTP, SDK in turn) of ${o.durationMs / 1000} s after ${o.warmupMs / 1000} s warm-up, ${o.concurrency} in flight`;
  const errorNote = failed ? `; ${failed} failed requests (${firstError})` : '';
  const pgliteNote = onPostgres ? '' : '; information only on PGlite (the goal stands on PostgreSQL)';
  const perSecond = (ws: Window[]) => ws.map((w) => w.perSecond);
  const figures = [
    figure('heartbeat ingest, 1,000 agents: sustained (HTTP → RPC → SQL)', perSecond(http), '/s', {
      goal: goal(atLeast(2000, '/s')),
      note: method + errorNote + pgliteNote,
    }),
    figure(
      'heartbeat ingest: stack process CPU per heartbeat',
      http.map((w) => w.stackCpuUs ?? Number.NaN),
      'µs',
      {
        goal: goal(atMost(400, 'µs')),
        note: 'user + system CPU of the process that runs the stack (gateway, REST, db driver; PGlite runs inside it), per request',
      },
    ),
    figure(
      'heartbeat ingest: latency p50',
      http.map((w) => w.p50),
      'ms',
    ),
    figure(
      'heartbeat ingest: latency p99',
      http.map((w) => w.p99),
      'ms',
    ),
    figure('raw single-row UPDATE, same db, same run', perSecond(raw), '/s'),
    figure('heartbeat ingest: ratio RPC / raw UPDATE', ratios, '', {
      goal: goal(atLeast(0.5, '')),
      kind: 'ratio',
      note: 'HTTP heartbeats per second over raw UPDATEs per second, per round (stack, database and load generator share the same cores)',
    }),
    figure('heartbeat ingest through the SDK client (client on the same cores)', perSecond(sdk), '/s', {
      note: `ratio to raw ${sdkRatios.map((r) => round(r, 3)).join(', ')}`,
    }),
    ...curve.map((c) =>
      figure(`heartbeat ingest curve, ${c.agents.toLocaleString('en-US')} agents`, perSecond(c.windows), '/s', {
        note: `raw UPDATE ${c.raw.map((w) => round(w.perSecond, 0)).join(', ')} /s in the same rounds`,
      }),
    ),
  ];
  return { figures, details: { rounds: { http, sdk, raw, ratios, sdkRatios }, curve } };
}
