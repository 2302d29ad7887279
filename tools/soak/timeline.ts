// `node --import tsx tools/soak/timeline.ts [seconds] [--database-url URL]`: the soak's 1,000-worker
// heartbeat load (1,000/s, plain heartbeats) with a per-second account: requests slower than 100 ms and the
// slowest. How docs/reliability.md found the offline sweep's periodic stalls; a bad tail that
// shows up in a few seconds is a stall, one spread over all seconds is a machine short of CPU.
import http from 'node:http';
import { workerNames } from '@agent-status/tests/support/faults/provision.ts';
import { forkStack } from './stack-client.ts';
const urlAt = process.argv.indexOf('--database-url');
const stack = await forkStack(urlAt > 0 ? process.argv[urlAt + 1] : undefined);
const { tokens } = await stack.ask<{ tokens: [string, string][] }>(
  { type: 'provision', names: workerNames('Load Worker', 1000) },
  'provisioned',
);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const target = new URL('/rest/v1/rpc/agent_report', stack.url);
const samples: [number, number][] = [];
const start = performance.now();
const end = start + Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 30) * 1000;
const report = (token: string) =>
  new Promise<void>((resolve) => {
    const body = JSON.stringify({ p_kind: 'heartbeat', p_token: token, p_info: { heartbeat_interval_seconds: 1 } });
    const t0 = performance.now();
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          apikey: stack.anonKey,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          samples.push([t0 - start, performance.now() - t0]);
          resolve();
        });
      },
    );
    req.on('error', () => resolve());
    req.end(body);
  });
await Promise.all(
  tokens.map(async ([, token], i) => {
    let next = start + i;
    while (next < end) {
      const w = next - performance.now();
      if (w > 0) await new Promise((r) => setTimeout(r, w));
      await report(token);
      next += 1000;
    }
  }),
);
const bySecond = new Map<number, { n: number; slow: number; max: number }>();
for (const [t, l] of samples) {
  const s = Math.floor(t / 1000);
  const b = bySecond.get(s) ?? { n: 0, slow: 0, max: 0 };
  b.n++;
  if (l > 100) b.slow++;
  b.max = Math.max(b.max, l);
  bySecond.set(s, b);
}
for (const [s, b] of [...bySecond].sort((a, b) => a[0] - b[0]))
  console.log(`${String(s).padStart(3)} s: ${b.n} sent, ${b.slow} > 100 ms, max ${Math.round(b.max)} ms`);
await stack.stop();
agent.destroy();
process.exit(0);
