// `node --import tsx tools/bench/profile-ingest.ts [seconds] [out.cpuprofile]`: a CPU profile of the
// stack's process while the bench's HTTP heartbeat load runs (the same load process as `npm run bench`),
// taken with the inspector only over the load window, and a summary of where the time goes
// (self time by function and by area). How docs/performance.md attributes a heartbeat's cost.
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import { ensureFleet, startBenchStack } from './fleet.ts';
import { rpcWindow } from './heartbeat-ingest.ts';
import { summarizeProfile } from './profile-summary.ts';

const seconds = Number(process.argv[2] ?? 6);
const out = process.argv[3];
const log = (line: string) => console.error(line);

const stack = await startBenchStack();
try {
  const fleet = await ensureFleet(stack, 1000);
  const o = { concurrency: 32, warmupMs: 1500, durationMs: seconds * 1000, rounds: 1, curve: [], log };
  await rpcWindow(stack, fleet, { ...o, durationMs: 2000 }, 'http'); // warm the JIT and the plans
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const window = await rpcWindow(stack, fleet, o, 'http');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  log(
    `${Math.round(window.perSecond)}/s, stack CPU ${Math.round(window.stackCpuUs ?? 0)} µs per heartbeat, p99 ${window.p99.toFixed(1)} ms`,
  );
  if (out) await writeFile(out, JSON.stringify(profile));
  console.log(summarizeProfile(profile, (window.perSecond * (o.durationMs + o.warmupMs)) / 1000));
} finally {
  await stack.stop();
}
process.exit(0);
