// N simulated workers, each reporting a heartbeat every `intervalMs` through the real API path
// (POST /rest/v1/rpc/agent_report with its own agent token), on a fixed schedule spread evenly
// over the interval, through a bounded pool of keep-alive connections.
import http from 'node:http';
import { keepAliveAgent } from '@agent-status/tests/support/keep-alive-agent.ts';

export interface LoadOptions {
  url: string;
  anonKey: string;
  /** agent name → agent token */
  tokens: Map<string, string>;
  intervalMs: number;
  durationMs: number;
  /** Most requests in flight at once (= connections). */
  concurrency: number;
  /**
   * The start-up: every worker's first report (`started`, an event each) lands in the first interval,
   * on a cold stack. Latency and lateness of heartbeats sent in this first stretch are reported apart
   * (`startup`), so that the steady-state figures are not the start-up burst's.
   */
  startupMs?: number;
  onProgress?: (line: string) => void;
}

export interface LoadResult {
  sent: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  /** Request latencies (ms), from sending to the full answer. */
  latency: { p50: number; p95: number; p99: number; max: number };
  /** Heartbeats that left more than one interval after their scheduled time (the stack fell behind). */
  late: number;
  perSecond: number;
  /** The same for the start-up stretch (startupMs), which the figures above leave out. */
  startup: { sent: number; late: number; latency: { p50: number; p99: number; max: number } };
}

export async function heartbeatLoad(opts: LoadOptions): Promise<LoadResult> {
  const target = new URL('/rest/v1/rpc/agent_report', opts.url);
  const agent = keepAliveAgent(opts.concurrency);
  const agents = [...opts.tokens.values()];
  const latencies: number[] = [];
  const startupLatencies: number[] = [];
  let startupSent = 0;
  let startupLate = 0;
  const errorSamples: string[] = [];
  let sent = 0;
  let ok = 0;
  let errors = 0;
  let late = 0;
  const started = performance.now();
  const end = started + opts.durationMs;
  const steadyFrom = started + (opts.startupMs ?? 0);

  const report = (token: string, kind: 'started' | 'heartbeat') =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify({
        p_kind: kind,
        p_token: token,
        p_info: { heartbeat_interval_seconds: Math.round(opts.intervalMs / 1000) },
      });
      const t0 = performance.now();
      const fail = (what: string) => {
        errors += 1;
        if (errorSamples.length < 10) errorSamples.push(what);
        resolve();
      };
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            apikey: opts.anonKey,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            (t0 < steadyFrom ? startupLatencies : latencies).push(performance.now() - t0);
            if (res.statusCode === 200) {
              ok += 1;
              resolve();
            } else fail(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`);
          });
          res.on('error', (e) => fail(`response: ${e.message}`));
        },
      );
      req.on('error', (e) => fail(`request: ${e.message}`));
      req.end(body);
    });

  // One loop per simulated worker: report, then sleep until its next slot (skipping none).
  // The first report says "started", so the offline sweep watches the agent from then on.
  const worker = async (token: string, offsetMs: number) => {
    let next = started + offsetMs;
    let kind: 'started' | 'heartbeat' = 'started';
    while (next < end) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const isLate = performance.now() - next > opts.intervalMs;
      if (next < steadyFrom) {
        startupSent += 1;
        if (isLate) startupLate += 1;
      } else if (isLate) late += 1;
      sent += 1;
      await report(token, kind);
      kind = 'heartbeat';
      next += opts.intervalMs;
    }
  };

  const progress = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    opts.onProgress?.(
      `  ${elapsed.toFixed(0)} s: ${sent} sent, ${ok} ok, ${errors} errors, ${late} late, ${(ok / elapsed).toFixed(0)}/s`,
    );
  }, 30_000);
  try {
    await Promise.all(agents.map((token, i) => worker(token, (i * opts.intervalMs) / agents.length)));
  } finally {
    clearInterval(progress);
    agent.destroy();
  }

  latencies.sort((a, b) => a - b);
  startupLatencies.sort((a, b) => a - b);
  const pctOf = (values: number[], p: number) =>
    Math.round((values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN) * 10) / 10;
  const pct = (p: number) => pctOf(latencies, p);
  return {
    sent,
    ok,
    errors,
    errorSamples,
    latency: { p50: pct(50), p95: pct(95), p99: pct(99), max: Math.round(latencies.at(-1) ?? NaN) },
    late,
    perSecond: Math.round(ok / ((performance.now() - started) / 1000)),
    startup: {
      sent: startupSent,
      late: startupLate,
      latency: {
        p50: pctOf(startupLatencies, 50),
        p99: pctOf(startupLatencies, 99),
        max: Math.round(startupLatencies.at(-1) ?? NaN),
      },
    },
  };
}
