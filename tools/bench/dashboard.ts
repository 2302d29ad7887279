// The dashboard with 1,000 agents in headless Chromium: sign-in → full list, a database change → visible
// on the page, and the initial JS (gzipped). Page-side times come from a MutationObserver that stamps
// Date.now() the moment the DOM holds the expected state; both processes read the same system clock.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { clients } from '@agent-status/tests/support/stack.ts';
import { buildDashboard, removeBuild, serveStatic } from '@agent-status/tests/support/build-dashboard.ts';
import { OPERATOR, agentName, ensureFleet, signedInOperator, type RunningStack } from './fleet.ts';
import { median, p95, round } from './stats.ts';
import { atMost, figure, type Figure } from './table.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface DashboardOptions {
  signInRuns: number;
  changeRuns: number;
  /** How long the signed-in page is watched with nothing changing. */
  idleMs: number;
  log: (line: string) => void;
}

/** The JS that index.html loads before anything else happens: entry scripts and module preloads. */
async function initialJs(dir: string): Promise<{ raw: number; gzip: number; files: string[]; allJsGzip: number }> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]);
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

async function signIn(browser: Browser, siteUrl: string, expectedRows: number): Promise<{ page: Page; ms: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(siteUrl);
  await page.getByLabel('Email').fill(OPERATOR.email);
  await page.getByLabel('Password').fill(OPERATOR.password);
  await stampWhen(page, '__benchListAt', { selector: '[data-agent]', min: expectedRows });
  const clicked = Date.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  const listAt = await stamped(page, '__benchListAt', 30_000);
  return { page, ms: listAt - clicked };
}

export async function measureDashboard(stack: RunningStack, o: DashboardOptions): Promise<{ figures: Figure[]; details: unknown }> {
  await ensureFleet(stack, 1000);
  await signedInOperator(stack);
  const { rows } = await stack.db.query<{ n: number }>('select count(*)::int as n from public.agent_status');
  const expectedRows = rows[0].n;
  const buildDir = await buildDashboard({ url: stack.url, publishableKey: stack.publishableKey ?? stack.anonKey });
  // The same static server (with the same Content-Security-Policy) as `npm start`.
  const site = await serveStatic(buildDir, stack.url);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const js = await initialJs(buildDir);
    const signInMs: number[] = [];
    let page: Page | undefined;
    for (let i = 0; i < o.signInRuns + 1; i++) {
      if (page) await page.context().close();
      const run = await signIn(browser, site.url, expectedRows);
      page = run.page;
      if (i === 0) continue; // warm-up: first Chromium start, first queries
      signInMs.push(run.ms);
      o.log(`  dashboard sign-in → ${expectedRows} rows: ${run.ms} ms`);
    }
    await page!.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });

    // One agent changes in the database (a warning or an error report); time until its row shows it.
    const service = clients(stack).service;
    const target = agentName(500);
    const changeMs: number[] = [];
    for (let i = 0; i < o.changeRuns + 1; i++) {
      const kind = i % 2 === 0 ? 'warning' : 'error';
      await stampWhen(page!, '__benchChangeAt', { selector: `li[data-agent="${target}"]`, state: kind });
      const sent = Date.now();
      const { error } = await service.rpc('agent_report', { p_kind: kind, p_agent_name: target, p_message: `bench ${kind} ${i}` });
      if (error) throw new Error(`agent_report(${kind}) failed: ${error.message}`);
      const visible = await stamped(page!, '__benchChangeAt', 10_000);
      if (i === 0) continue;
      changeMs.push(visible - sent);
    }
    o.log(`  dashboard change → visible: ${changeMs.join(', ')} ms`);

    // Nothing changes: how busy is the page (ticking "x s ago" labels, the periodic refresh)?
    const cdp = await page!.context().newCDPSession(page!);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return { task: value('TaskDuration'), script: value('ScriptDuration'), at: performance.now() };
    };
    const idleBefore = await busy();
    await new Promise((resolve) => setTimeout(resolve, o.idleMs));
    const idleAfter = await busy();
    const idleBusyPercent = ((idleAfter.task - idleBefore.task) * 1000 * 100) / (idleAfter.at - idleBefore.at);
    o.log(`  dashboard idle: main thread busy ${round(idleBusyPercent)} % (script ${round((idleAfter.script - idleBefore.script) * 1000)} ms in ${round(idleAfter.at - idleBefore.at, 0)} ms)`);
    return {
      figures: [
        figure('dashboard, 1,000 agents: sign-in → full list', median(signInMs), 'ms', atMost(1000, 'ms'), `${expectedRows} rows, ${o.signInRuns} runs after a warm-up, fresh browser context each; p95 ${p95(signInMs)} ms`),
        figure('dashboard: database change → visible on the page', median(changeMs), 'ms', atMost(200, 'ms'), `${o.changeRuns} changes (warning/error reports through the API); p95 ${p95(changeMs)} ms`),
        figure('dashboard idle with 1,000 agents: page main-thread busy', round(idleBusyPercent, 1), '%', undefined, `Chrome TaskDuration over ${o.idleMs / 1000} s with nothing changing`),
        figure('dashboard: initial JS, gzipped', round(js.gzip / 1024, 1), 'KiB', undefined, `${round(js.raw / 1024, 1)} KiB raw, ${js.files.length} file(s); all JS chunks gzipped ${round(js.allJsGzip / 1024, 1)} KiB`),
      ],
      details: { signInMs, changeMs, js, idleBusyPercent },
    };
  } finally {
    await browser.close();
    await site.stop();
    await removeBuild(buildDir);
  }
}
