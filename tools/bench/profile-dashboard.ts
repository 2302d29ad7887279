// `node --import tsx tools/bench/profile-dashboard.ts [agents] [idle seconds] [out dir]`: where the
// dashboard's main thread spends its time with a large fleet, in headless Chromium — a trace and a JS
// CPU profile of the sign-in (click → full list), then of an idle window with nothing changing. The
// build is not minified, so functions keep their names. Prints the main thread's time by task kind
// (script, style, layout, paint, GC, parsing) and the JS functions with the most self time; the raw
// trace (.json, for chrome://tracing or DevTools' Performance panel) and profile (.cpuprofile) go to
// the out dir (default .data/profile-dashboard/).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Profiler } from 'node:inspector';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { buildDashboard, removeBuild, serveStatic } from '@agent-status/tests/support/build-dashboard.ts';
import { OPERATOR, ensureFleet, signedInOperator, startBenchStack } from './fleet.ts';

const agents = Number(process.argv[2] ?? 10_000);
const idleSeconds = Number(process.argv[3] ?? 60);
const outDir = process.argv[4] ?? path.join(process.cwd(), '.data', 'profile-dashboard');
const log = (line: string) => console.error(line);

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink',
  'loading',
].join(',');

type TraceEvent = {
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

async function traced<T>(page: Page, cdp: CDPSession, name: string, body: () => Promise<T>): Promise<T> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: TRACE_CATEGORIES.split(',') });
  await cdp.send('Profiler.start');
  const started = performance.now();
  const result = await body();
  const windowMs = performance.now() - started;
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profiler.Profile };
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  await writeFile(path.join(outDir, `${name}.trace.json`), JSON.stringify(trace));
  await writeFile(path.join(outDir, `${name}.cpuprofile`), JSON.stringify(profile));
  console.log(
    `\n=== ${name}\n${summarizeTrace(trace.traceEvents, windowMs)}\n--- JS self time\n${summarizeJs(profile)}`,
  );
  return result;
}

await mkdir(outDir, { recursive: true });
const stack = await startBenchStack();
try {
  await ensureFleet(stack, agents);
  await signedInOperator(stack);
  const buildDir = await buildDashboard(
    { url: stack.url, publishableKey: stack.publishableKey ?? stack.anonKey },
    undefined,
    false,
  );
  const site = await serveStatic(buildDir, stack.url);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic'],
  });
  try {
    const warm = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await warm.newPage();
    await page.goto(site.url);
    await page.getByLabel('Email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill(OPERATOR.password);
    const cdp = await warm.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    const total = (await stack.db.query<{ n: number }>('select count(*)::int as n from public.agent_status')).rows[0].n;
    await traced(page, cdp, 'sign-in', async () => {
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator(`[data-total="${total}"]`).waitFor({ timeout: 60_000 });
      await page.locator('[data-agent]').first().waitFor();
    });
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2000);
    await traced(page, cdp, 'idle', () => page.waitForTimeout(idleSeconds * 1000));
  } finally {
    await browser.close();
    await site.stop();
    await removeBuild(buildDir);
  }
} finally {
  await stack.stop();
}
log(`trace and profile files in ${outDir}`);
process.exit(0);
