// The dashboard with 1,000 and with 10,000 agents in headless Chromium: sign-in → full list, a database
// change → visible on the page, the idle page's main-thread load and memory, and the initial JS (gzipped).
// "Full list" is every agent loaded (the count says so) and the first rows drawn: above 100 agents the
// page opens as the windowed table, which draws only the rows on screen. Times are the page's own: from
// the click the page receives on "Sign in" to the moment a MutationObserver sees the DOM hold the
// expected state (Date.now() in the page at both ends); a change → visible starts at the report's send,
// on the same system clock.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { clients } from '@agent-status/tests/support/stack.ts';
import { buildDashboard, removeBuild, serveStatic } from '@agent-status/tests/support/build-dashboard.ts';
import { OPERATOR, agentName, ensureFleet, signedInOperator, trimFleet, type RunningStack } from './fleet.ts';
import { p95, round } from './stats.ts';
import { atMost, figure, type Figure } from './table.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface DashboardOptions {
  signInRuns: number;
  changeRuns: number;
  /** How long each window is in which the signed-in page is watched with nothing changing. */
  idleMs: number;
  /** How many such windows, one after the other. */
  idleWindows: number;
  /** Fleet sizes to measure, e.g. [1000, 10000]. */
  fleets: number[];
  log: (line: string) => void;
}

/** The JS that index.html loads before anything else happens: entry scripts and module preloads. */
async function initialJs(dir: string): Promise<{ raw: number; gzip: number; files: string[]; allJsGzip: number }> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map(
    (m) => m[1],
  );
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const content = await readFile(path.join(dir, file.replace(/^\//, '')));
    raw += content.length;
    gzip += gzipSync(content).length;
  }
  let allJsGzip = 0;
  for (const file of (await readdir(path.join(dir, 'assets'))).filter((f) => f.endsWith('.js'))) {
    allJsGzip += gzipSync(await readFile(path.join(dir, 'assets', file))).length;
  }
  return { raw, gzip, files, allJsGzip };
}

/** What the page must show: at least `min` elements matching `selector`, or one element in a given data-state. */
type Expectation = { selector: string; min: number } | { selector: string; state: string };

/** Every agent loaded (the count shows them all) and the list drawn (cards, or the table's first rows). */
const fullList = (rows: number): Expectation => ({
  selector: `.list-column:has([data-total="${rows}"]) [data-agent]`,
  min: 1,
});

/** Rows a 1280 × 800 window shows of the table (40 px each below the header and toolbar). */
const FIRST_SCREEN_ROWS = 15;

/** A first screen of agents drawn, whether or not the rest of the fleet has arrived yet. */
const firstScreen = (rows: number): Expectation => ({
  selector: '.list-column [data-agent]',
  min: Math.min(rows, FIRST_SCREEN_ROWS),
});

/**
 * Leaves in window[key] a promise of Date.now() (in the page) at the moment the expectation first holds, checked on every DOM
 * mutation. The script is a string (data inlined as JSON): functions compiled by tsx carry helpers
 * that do not exist in the page, and the dashboard's CSP forbids eval inside the page.
 */
function stampWhen(page: Page, key: string, expectation: Expectation): Promise<void> {
  return page.evaluate(`(() => {
    const expectation = ${JSON.stringify(expectation)};
    const key = ${JSON.stringify(key)};
    const holds = () => 'min' in expectation
      ? document.querySelectorAll(expectation.selector).length >= expectation.min
      : document.querySelector(expectation.selector)?.dataset.state === expectation.state;
    window[key] = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!holds()) return;
        observer.disconnect();
        resolve(Date.now());
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true });
    });
  })()`);
}

/** The page-side time stamped by stampWhen (waits for it; the page's own clock, the same system clock as ours). */
async function stamped(page: Page, key: string, timeoutMs: number): Promise<number> {
  return page.evaluate(`Promise.race([
    window[${JSON.stringify(key)}],
    new Promise((_, reject) => setTimeout(() => reject(new Error('not seen within ${timeoutMs} ms: ${key}')), ${timeoutMs})),
  ])`) as Promise<number>;
}

async function signIn(
  browser: Browser,
  siteUrl: string,
  expectedRows: number,
): Promise<{ page: Page; firstMs: number; ms: number; automationMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(siteUrl);
  await page.getByLabel('Email').fill(OPERATOR.email);
  await page.getByLabel('Password').fill(OPERATOR.password);
  await stampWhen(page, '__benchFirstAt', firstScreen(expectedRows));
  await stampWhen(page, '__benchListAt', fullList(expectedRows));
  // The sign-in starts when the page receives the click: Playwright's click() first scrolls, waits for
  // the button to be stable over two animation frames and hit-tests it (50–100 ms here), which is the
  // automation's time, not the page's.
  await page.evaluate(`(() => {
    window.__benchClickAt = new Promise((resolve) =>
      document.addEventListener('click', () => resolve(Date.now()), { capture: true, once: true }));
  })()`);
  const called = Date.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  const clickedAt = await stamped(page, '__benchClickAt', 30_000);
  const listAt = await stamped(page, '__benchListAt', 30_000);
  const firstAt = await stamped(page, '__benchFirstAt', 1_000);
  return { page, firstMs: firstAt - clickedAt, ms: listAt - clickedAt, automationMs: clickedAt - called };
}

/** Page-side cost of a signed-in page: main-thread busy share over quiet windows, JS heap, DOM nodes. */
async function idleCost(page: Page, idleMs: number, windows: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return {
      task: value('TaskDuration'),
      script: value('ScriptDuration'),
      heap: value('JSHeapUsedSize'),
      nodes: value('Nodes'),
      at: performance.now(),
    };
  };
  await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  const busyPercent: number[] = [];
  const scriptMs: number[] = [];
  let before = await sample();
  for (let i = 0; i < windows; i++) {
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const after = await sample();
    busyPercent.push(((after.task - before.task) * 1000 * 100) / (after.at - before.at));
    scriptMs.push((after.script - before.script) * 1000);
    before = after;
  }
  await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  const settled = await sample();
  return { busyPercent, scriptMs, windowMs: idleMs, heapMiB: settled.heap / 2 ** 20, domNodes: settled.nodes };
}

/** Sign-in runs (after a warm-up), a change made visible, then the quiet page's cost, for the fleet as it is now. */
async function measureFleet(stack: RunningStack, browser: Browser, siteUrl: string, o: DashboardOptions) {
  const { rows } = await stack.db.query<{ n: number }>('select count(*)::int as n from public.agent_status');
  const expectedRows = rows[0].n;
  const signInMs: number[] = [];
  const firstScreenMs: number[] = [];
  let page: Page | undefined;
  for (let i = 0; i < o.signInRuns + 1; i++) {
    if (page) await page.context().close();
    const run = await signIn(browser, siteUrl, expectedRows);
    page = run.page;
    if (i === 0) continue; // warm-up: first Chromium start, first queries
    signInMs.push(run.ms);
    firstScreenMs.push(run.firstMs);
    o.log(
      `  dashboard sign-in → first screen ${run.firstMs} ms, → ${expectedRows} agents ${run.ms} ms (Playwright's click() → the page's click ${run.automationMs} ms before)`,
    );
  }
  // Generous: a page still busy with its fleet (as before issue 29's fixes) joins Realtime late.
  await page!.locator('[data-connection="live"]').waitFor({ timeout: 60_000 });

  // One agent changes in the database (a warning or an error report); time until its row shows it.
  // The search puts it on screen: the table draws only the rows in view.
  const service = clients(stack).service;
  const target = agentName(500);
  await page!.getByLabel('Search').fill(target);
  await page!.locator(`[data-agent="${target}"]`).waitFor();
  const changeMs: number[] = [];
  for (let i = 0; i < o.changeRuns + 1; i++) {
    const kind = i % 2 === 0 ? 'warning' : 'error';
    await stampWhen(page!, '__benchChangeAt', { selector: `[data-agent="${target}"]`, state: kind });
    const sent = Date.now();
    const { error } = await service.rpc('agent_report', {
      p_kind: kind,
      p_agent_name: target,
      p_message: `bench ${kind} ${i}`,
    });
    if (error) throw new Error(`agent_report(${kind}) failed: ${error.message}`);
    const visible = await stamped(page!, '__benchChangeAt', 10_000);
    if (i === 0) continue;
    changeMs.push(visible - sent);
  }
  o.log(`  dashboard change → visible: ${changeMs.join(', ')} ms`);
  await page!.getByLabel('Search').fill('');

  // Nothing changes: how busy is the page (ticking "x s ago" labels, the periodic refresh), how big?
  const idle = await idleCost(page!, o.idleMs, o.idleWindows);
  o.log(
    `  dashboard idle: main thread busy ${idle.busyPercent.map((p) => round(p, 2)).join(', ')} % (script ${idle.scriptMs.map((ms) => round(ms, 0)).join(', ')} ms per ${o.idleMs} ms), JS heap ${round(idle.heapMiB)} MiB, ${idle.domNodes} DOM nodes`,
  );
  await page!.context().close();
  return { expectedRows, signInMs, firstScreenMs, changeMs, idle };
}

export async function measureDashboard(
  stack: RunningStack,
  o: DashboardOptions,
): Promise<{ figures: Figure[]; details: unknown }> {
  await signedInOperator(stack);
  const buildDir = await buildDashboard({ url: stack.url, publishableKey: stack.publishableKey ?? stack.anonKey });
  // The same static server (with the same Content-Security-Policy) as `npm start`.
  const site = await serveStatic(buildDir, stack.url);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  try {
    const js = await initialJs(buildDir);
    for (const size of o.fleets) {
      await ensureFleet(stack, size);
      const label = size.toLocaleString('en-US');
      const run = await measureFleet(stack, browser, site.url, o);
      details[size] = run;
      const runs = `${run.expectedRows} agents, ${o.signInRuns} sign-ins after a warm-up, a fresh browser context each`;
      figures.push(
        figure(`dashboard, ${label} agents: sign-in → first screen of rows`, run.firstScreenMs, 'ms', {
          goal: atMost(300, 'ms'),
          note: `${runs}; ${FIRST_SCREEN_ROWS} rows drawn (the rest of the fleet may still be arriving)`,
        }),
        figure(`dashboard, ${label} agents: sign-in → full list`, run.signInMs, 'ms', {
          goal: atMost(500, 'ms'),
          note: `${runs}; every agent loaded (the total shows them all) and the first rows drawn`,
        }),
        figure(`dashboard, ${label} agents: database change → visible`, run.changeMs, 'ms', {
          goal: atMost(100, 'ms'),
          note: `${o.changeRuns} changes (warning/error reports through the API); p95 ${p95(run.changeMs)} ms`,
        }),
        figure(`dashboard idle, ${label} agents: page main-thread busy`, run.idle.busyPercent, '%', {
          goal: atMost(2, '%'),
          note: `Chrome TaskDuration in ${o.idleWindows} windows of ${o.idleMs / 1000} s with nothing changing`,
        }),
        figure(`dashboard, ${label} agents: page JS heap`, [run.idle.heapMiB], 'MiB', {
          note: `after a garbage collection; ${run.idle.domNodes} DOM nodes`,
        }),
      );
    }
    figures.push(
      figure('dashboard: initial JS, gzipped', [js.gzip / 1024], 'KiB', {
        goal: atMost(70, 'KiB'),
        kind: 'count',
        note: `${round(js.raw / 1024, 1)} KiB raw, ${js.files.length} file(s); all JS chunks gzipped ${round(js.allJsGzip / 1024, 1)} KiB`,
      }),
    );
    details.js = js;
    return { figures, details };
  } finally {
    await browser.close();
    await site.stop();
    await removeBuild(buildDir);
    await trimFleet(stack, 1000);
  }
}
