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
import { summarizeJs, summarizeTrace, type TraceEvent } from './trace-summary.ts';

const flags = new Map(
  process.argv
    .slice(2)
    .filter((a) => a.startsWith('--'))
    .map((a) => a.slice(2).split('=') as [string, string]),
);
const [agentsArg, idleArg, outArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const agents = Number(agentsArg ?? 10_000);
const idleSeconds = Number(idleArg ?? 60);
const outDir = outArg ?? path.join(process.cwd(), '.data', 'profile-dashboard');
/** --running=N: the first N agents run and heartbeat (as in the e2e fleet), the rest never reported. */
const running = Number(flags.get('running') ?? 0);
/** --view=cards|table: the list view the page opens with (remembered per browser). */
const view = flags.get('view');
const log = (line: string) => console.error(line);

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink',
  'loading',
].join(',');

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
  if (running) {
    await stack.db.query(
      `update public.agent_status set status = 'running', health = 90, last_heartbeat = now(),
              started_at = now() - interval '1 hour', last_activity = 'working', last_activity_at = now()
        where agent_name in (select agent_name from public.agent_status where agent_name like 'bench-%' order by agent_name limit $1)`,
      [running],
    );
  }
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
    if (view) await warm.addInitScript(`localStorage.setItem('agent-status.list-view', '${view}')`);
    await page.goto(site.url);
    await page.getByLabel('Email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill(OPERATOR.password);
    const cdp = await warm.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    const total = (await stack.db.query<{ n: number }>('select count(*)::int as n from public.agent_status')).rows[0].n;
    await traced(page, cdp, 'sign-in', async () => {
      const clicked = Date.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator(`[data-total="${total}"]`).waitFor({ timeout: 120_000 });
      await page.locator('[data-agent]').first().waitFor();
      log(`sign-in → ${total} agents listed: ${Date.now() - clicked} ms (traced, so slower than untraced)`);
    });
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2000);
    await traced(page, cdp, 'idle', () => page.waitForTimeout(idleSeconds * 1000));
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    log(`after idle: JS heap ${(metric('JSHeapUsedSize') / 2 ** 20).toFixed(1)} MiB, ${metric('Nodes')} DOM nodes`);
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
