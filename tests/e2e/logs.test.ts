// The Logs view in Debian's Chromium against the real stack and a real SDK worker: a line logged by the
// worker is on the viewer's screen within a second; follow / pause, level and text filters, copy; "waiting
// for the worker" and "agent offline" said plainly; leaving the view stops the watch; a crash's last lines
// under the error in the history; keyboard and axe-core, desktop, phone and dark (screenshots).
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { runAgent, type AgentLog, type AgentRun } from '@agent-status/agent-sdk';
import { apiKeys, clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';
import { buildDashboard, removeBuild, serveStatic } from '../support/build-dashboard.ts';
import { CHROMIUM_ARGS, seriousViolations, signIn } from '../support/browser.ts';
import { eventually, sleep } from '../support/eventually.ts';

const VIEWER = { email: 'logs-viewer@example.com', password: 'logs-viewer-password', role: 'viewer' as const };
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const AGENT = 'Content Collector';
const CRASHER = 'Blog Generator';

let stack: RunningStack;
let buildDir: string;
let site: { url: string; stop(): Promise<void> };
let browser: Browser;
const runs: AgentRun[] = [];
let log: AgentLog | undefined;
let crash: ((message: string) => void) | undefined;

async function token(name: string): Promise<string> {
  const { data, error } = await clients(stack).service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'e2e' });
  if (error) throw new Error(error.message);
  return data[0].token;
}

function worker(name: string, work: Parameters<typeof runAgent>[0]['work'], t: string) {
  const run = runAgent({
    name,
    config: { url: stack.url, anonKey: apiKeys(stack).publishable, token: t },
    heartbeatIntervalMs: 2_000,
    exitProcess: false,
    handleSignals: false,
    catchEscapedErrors: false,
    log: () => undefined,
    logs: { echo: false },
    work,
  });
  runs.push(run);
}

beforeAll(async () => {
  stack = await startTestStack();
  await createUser(stack, VIEWER);
  const { service } = clients(stack);
  for (const name of [AGENT, CRASHER]) await service.rpc('command_agents', { p_command: 'start', p_agent_name: name });
  worker(
    AGENT,
    async (signal, agent) => {
      log = agent.log;
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
    },
    await token(AGENT),
  );
  worker(
    CRASHER,
    async (signal, agent) => {
      await new Promise<void>((resolve, reject) => {
        crash = (message) => {
          agent.log.info('fetching https://blog.example/feed');
          agent.log.warn('retrying with password=hunter2');
          reject(new Error(message));
        };
        signal.addEventListener('abort', () => resolve());
      });
    },
    await token(CRASHER),
  );
  buildDir = await buildDashboard({ url: stack.url, publishableKey: apiKeys(stack).publishable });
  site = await serveStatic(buildDir, stack.url);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
  await eventually(async () => log, Boolean, "the worker's work", 20_000);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(runs.map((run) => run.stop()));
  await site?.stop();
  await stack?.stop();
  if (buildDir) await removeBuild(buildDir);
});

const logLines = (page: Page) => page.locator('.log-lines .log-line .log-text');
const texts = (page: Page) => logLines(page).allTextContents();
/** The Logs view's own status line (the header has a connection status of its own). */
const logStatus = (page: Page) => page.locator('.logs').getByRole('status');

/** The page's clock (Date.now, as the worker's) when `text` first appears on the screen. */
function whenShown(page: Page, text: string) {
  return page.evaluate(
    (wanted) =>
      new Promise<number>((resolve) => {
        const seen = () => [...document.querySelectorAll('.log-text')].some((el) => el.textContent?.includes(wanted));
        if (seen()) return resolve(Date.now());
        const observer = new MutationObserver(() => {
          if (!seen()) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    text,
  );
}

describe('the Logs view in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    log!.info('logged before anyone watched', { feed: 'hn' });
    log!.warn('feed slow');
    log!.error('feed down, retrying');
    await signIn(page, site.url, VIEWER);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('a viewer finds a Logs tab beside Overview, with its own address', async () => {
    await page.getByRole('button', { name: AGENT, exact: true }).click();
    const tabs = page.getByRole('navigation', { name: `Views of ${AGENT}` });
    await tabs.getByRole('link', { name: 'Logs' }).click();
    expect(new URL(page.url()).hash).toBe(`#/agents/${encodeURIComponent(AGENT)}/logs`);
    expect(await tabs.getByRole('link', { name: 'Logs' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows the backlog, then goes live', async () => {
    await expect
      .poll(() => texts(page), { timeout: 15_000 })
      .toEqual([expect.stringContaining('logged before anyone watched'), 'feed slow', 'feed down, retrying']);
    await logStatus(page).filter({ hasText: 'Live' }).waitFor();
  });

  it('a line logged by the worker is on the screen within a second', async () => {
    const latencies: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const shown = whenShown(page, `live line ${i}`);
      const loggedAt = Date.now();
      log!.info(`live line ${i}`);
      latencies.push((await shown) - loggedAt);
      await sleep(700);
    }
    latencies.sort((a, b) => a - b);
    console.log(`log line → screen: ${latencies.join(', ')} ms`);
    expect(latencies[2]).toBeLessThan(1_000); // the median of five
    expect(latencies[4]).toBeLessThan(5_000);
  });

  it('filters by level and by text', async () => {
    await page.getByRole('combobox', { name: 'Level' }).selectOption('error');
    await expect.poll(() => texts(page)).toEqual(['feed down, retrying']);
    await page.getByRole('combobox', { name: 'Level' }).selectOption('warn');
    await expect.poll(() => texts(page)).toEqual(['feed slow', 'feed down, retrying']);
    await page.getByRole('combobox', { name: 'Level' }).selectOption('info');
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('LIVE LINE 3');
    await expect.poll(() => texts(page)).toEqual(['live line 3']);
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('hn'); // in the fields too
    await expect.poll(() => texts(page)).toEqual([expect.stringContaining('logged before anyone watched')]);
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('');
  });

  it('pause keeps the screen still and counts new lines; follow shows them', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    log!.info('while paused');
    await logStatus(page).filter({ hasText: 'Paused — 1 new line' }).waitFor({ timeout: 10_000 });
    expect(await texts(page)).not.toContain('while paused');
    await page.getByRole('button', { name: 'Follow' }).click();
    await expect.poll(() => texts(page)).toContain('while paused');
  });

  it('copies the lines shown', async () => {
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('feed');
    await page.getByRole('button', { name: /^Copy the \d+ lines shown$/ }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied.split('\n').map((line) => line.replace(/^\S+ /, ''))).toEqual([
      'info  logged before anyone watched {"feed":"hn"}',
      'warn  feed slow',
      'error feed down, retrying',
    ]);
    await page.getByRole('searchbox', { name: 'Filter lines' }).fill('');
  });

  it('the log is reachable by keyboard and has no serious accessibility violations (desktop screenshot)', async () => {
    await page.getByRole('searchbox', { name: 'Filter lines' }).focus();
    await page.keyboard.press('Tab'); // Copy
    await page.keyboard.press('Tab'); // the log itself, scrollable with the arrow keys
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Log lines of ${AGENT}, oldest first`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}logs-desktop.png` });
  });

  it('fits a phone without horizontal scrolling (phone screenshot)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    log!.info(`a long line without spaces ${'x'.repeat(300)}`);
    await expect.poll(() => texts(page)).toContain(`a long line without spaces ${'x'.repeat(300)}`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await page.locator('.logs').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}logs-phone.png` });
  });

  it('dark mode has no serious accessibility violations either (dark screenshot)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}logs-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('an agent nobody runs: "agent offline — no live logs"', async () => {
    await page.goto(`${site.url}#/agents/${encodeURIComponent('Tweet Scheduler')}/logs`);
    await page.getByText('Agent offline — no live logs.').waitFor({ timeout: 15_000 });
    await logStatus(page).filter({ hasText: 'Offline' }).waitFor();
  });

  it('an agent that reports but has no SDK worker answering: "waiting for the worker"', async () => {
    await clients(stack).service.rpc('agent_report', { p_kind: 'heartbeat', p_agent_name: 'Account Manager' });
    await page.goto(`${site.url}#/agents/${encodeURIComponent('Account Manager')}/logs`);
    await page.getByText('Waiting for the worker…').waitFor({ timeout: 15_000 });
    await logStatus(page).filter({ hasText: 'Waiting for the worker' }).waitFor();
    expect(await logLines(page).count()).toBe(0);
  });

  it('leaving the Logs view stops renewing the watch', async () => {
    await page.goto(`${site.url}#/agents/${encodeURIComponent(AGENT)}/logs`);
    await logStatus(page).filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Overview' }).click();
    const until = async () =>
      (await stack.db.query<{ until: string }>('select watched_until::text as until from agent_log_watches')).rows.map(
        (r) => r.until,
      );
    const before = await until();
    await sleep(12_000); // more than a renewal interval (10 s)
    expect(await until()).toEqual(before);
  });

  it("a crash's last lines are under the error in the history, redacted", async () => {
    crash!('feed unreachable');
    await page.goto(`${site.url}#/agents/${encodeURIComponent(CRASHER)}`);
    const details = page.locator('.event-error details.event-log').first();
    await details.waitFor({ timeout: 20_000 });
    await details.locator('summary').click();
    const text = await details.locator('pre').textContent();
    expect(text).toContain('info  fetching https://blog.example/feed');
    expect(text).toContain('warn  retrying with password=[redacted]');
    expect(text).toContain('error work crashed: Error: feed unreachable');
    expect(text).not.toContain('hunter2');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
