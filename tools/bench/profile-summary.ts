// Summarises a V8 CPU profile: self time per function and per area of the stack, in µs per request.
import type { Profiler } from 'node:inspector';

/** Areas by the script that runs the code (first match wins). */
const AREAS: [string, RegExp][] = [
  ['PGlite (WASM Postgres)', /wasm|pglite/i],
  ['pg driver', /node_modules\/pg(-protocol|-types|-pool)?\//],
  ['jose (JWT)', /jose/],
  ['stack: db', /stack\/src\/db\//],
  ['stack: rest', /stack\/src\/rest\//],
  ['stack: http/gateway', /stack\/src\/http\//],
  ['stack: keys', /stack\/src\/keys\//],
  ['node: http', /node:_http|node:http|_http_/],
  ['node: net/stream', /node:net|node:stream|node:internal\/streams|node:internal\/stream_base/],
  ['node: other', /^node:/],
];

export function summarizeProfile(profile: Profiler.Profile, requests: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (deltas[i] ?? 0));
  const total = profile.endTime - profile.startTime;
  const perFn = new Map<string, number>();
  const perArea = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const url = f.url || '';
    const key = `${f.functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(stack|tools|tests)\//, '$1/')}:${f.lineNumber + 1}`;
    perFn.set(key, (perFn.get(key) ?? 0) + us);
    const area = ['(idle)', '(program)', '(garbage collector)'].includes(f.functionName)
      ? f.functionName
      : (AREAS.find(([, re]) => re.test(url))?.[0] ?? (url ? 'other JS' : `native: ${f.functionName}`));
    perArea.set(area, (perArea.get(area) ?? 0) + us);
  }
  const fmt = (us: number) =>
    `${(us / requests).toFixed(1).padStart(7)} µs/req ${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${fmt(us)}  ${k}`);
  return [
    `profile ${(total / 1e6).toFixed(1)} s, ${Math.round(requests)} requests`,
    '— by area',
    ...top(perArea, 20),
    '— by function (self)',
    ...top(perFn, 40),
  ].join('\n');
}
