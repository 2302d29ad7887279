// Summaries of a Chromium trace (the renderer main thread's self time by event name) and of a page's
// JS CPU profile (self time by function), for tools/bench/profile-dashboard.ts. With a file argument,
// `node --import tsx tools/bench/trace-summary.ts <x.trace.json|x.cpuprofile>` summarises a saved one.
import { readFile } from 'node:fs/promises';
import type { Profiler } from 'node:inspector';
import { fileURLToPath } from 'node:url';

export type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
};

/** Main-thread time by event name, counting only time not inside another counted event (self time). */
export function summarizeTrace(events: TraceEvent[], windowMs: number): string {
  const thread = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!thread) return 'no renderer main thread in the trace';
  const main = events
    .filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: TraceEvent[] = [];
  let busy = 0;
  for (const event of main) {
    while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= event.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - event.dur!);
    else busy += event.dur!;
    self.set(event.name, (self.get(event.name) ?? 0) + event.dur!);
    stack.push(event);
  }
  const rows = [...self]
    .filter(([, us]) => us > 500)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([name, us]) => `${(us / 1000).toFixed(1).padStart(9)} ms  ${name}`);
  return [
    `main thread busy ${(busy / 1000).toFixed(0)} ms of ${windowMs.toFixed(0)} ms (${((100 * busy) / 1000 / windowMs).toFixed(2)} %)`,
    ...rows,
  ].join('\n');
}

export function summarizeJs(profile: Profiler.Profile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = byId.get(samples[i])!.callFrame;
    if (['(idle)', '(program)'].includes(frame.functionName)) continue;
    const file = frame.url.split('/').pop() ?? '';
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + (deltas[i] ?? 0));
  }
  return [...selfUs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([key, us]) => `${(us / 1000).toFixed(1).padStart(9)} ms  ${key}`)
    .join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? '';
  const data = JSON.parse(await readFile(file, 'utf8'));
  if (file.endsWith('.cpuprofile')) console.log(summarizeJs(data));
  else {
    const events = data.traceEvents as TraceEvent[];
    const spanUs =
      Math.max(...events.map((e) => e.ts + (e.dur ?? 0))) -
      Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
    console.log(summarizeTrace(events, spanUs / 1000));
  }
}
