// An agent's own numbers end to end: a worker counts and sets a gauge with the SDK, and the values show
// on its page in Chromium (tiles with sparklines) and in the fleet table's chosen columns within a
// heartbeat, and in a real Prometheus's scrape — the same numbers everywhere. Screenshots: light, dark,
// phone, the table.
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createAgentClient, runAgent, type AgentRun, type WorkContext } from '@agent-status/agent-sdk';
import { apiKeys, clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';
import { buildDashboard, removeBuild, serveStatic } from '../support/build-dashboard.ts';
import { CHROMIUM_ARGS, seriousViolations, signIn } from '../support/browser.ts';
import { eventually } from '../support/eventually.ts';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.ts';

const OPERATOR = { email: 'metrics-e2e@example.com', password: 'metrics-e2e-password', role: 'operator' as const };
const AGENT = 'Content Collector';
const HEARTBEAT_MS = 2_000;
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

let stack: RunningStack;
let buildDir: string;
let site: { url: string; stop(): Promise<void> };
let browser: Browser;
let prometheus: PrometheusServer;
let run: AgentRun;
let worker: WorkContext | undefined;

beforeAll(async () => {
  stack = await startTestStack();
  await createUser(stack, OPERATOR);
  const { service } = clients(stack);
  const issued = await service.rpc('issue_agent_token', { p_agent_name: AGENT, p_label: 'metrics e2e' });
  if (issued.error) throw new Error(issued.error.message);
  const started = await service.rpc('command_agents', { p_command: 'start', p_agent_name: AGENT });
  if (started.error) throw new Error(started.error.message);
  run = runAgent({
    name: AGENT,
    client: createAgentClient({ url: stack.url, anonKey: apiKeys(stack).publishable, token: issued.data[0].token }),
    heartbeatIntervalMs: HEARTBEAT_MS,
    handleSignals: false,
    catchEscapedErrors: false,
    exitProcess: false,
    log: () => undefined,
    work: async (signal, agent) => {
      worker = agent;
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
    },
  });
  const scrapeToken = await service.rpc('issue_metrics_token', { p_label: 'metrics e2e' });
  if (scrapeToken.error) throw new Error(scrapeToken.error.message);
  prometheus = await startPrometheus({
    baseUrl: stack.url,
    metricsPath: '/functions/v1/metrics',
    bearerToken: scrapeToken.data[0].token,
  });
  buildDir = await buildDashboard({ url: stack.url, publishableKey: apiKeys(stack).publishable });
  site = await serveStatic(buildDir, stack.url);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
  await eventually(async () => worker, Boolean, 'the worker running', 30_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await run?.stop();
  await prometheus?.stop();
  await site?.stop();
  await stack?.stop();
  if (buildDir) await removeBuild(buildDir);
});

describe("a worker's own numbers in Chromium and Prometheus", () => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const tile = (metric: string) => page.locator(`.tile[data-metric="${metric}"]`);
  const tileValue = (metric: string) => tile(metric).locator('.tile-value').getAttribute('data-value');

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, site.url, OPERATOR);
  });
  afterAll(async () => {
    await context?.close();
  });

  it("the agent's page shows the counter and the gauge within a heartbeat of the worker setting them", async () => {
    await page.getByRole('button', { name: AGENT, exact: true }).click();
    const metrics = page.getByRole('region', { name: 'Metrics' });
    await metrics.getByText(/No metrics yet/).waitFor({ timeout: 15_000 });

    worker!.count('articles_collected', 12);
    worker!.metric('queue_length', 40);
    const t0 = Date.now();
    // The next heartbeat carries them (≤ 2 s), the page reads them every heartbeat interval (2 s): ten times
    // both is the bound on a loaded machine.
    await tile('articles_collected').waitFor({ timeout: 10 * 2 * HEARTBEAT_MS });
    await eventually(
      () => tileValue('queue_length'),
      (v) => v === '40',
      'the gauge on the page',
      10 * 2 * HEARTBEAT_MS,
      100,
    );
    expect(await tileValue('articles_collected')).toBe('12');
    const shownAfterMs = Date.now() - t0;
    expect(shownAfterMs).toBeLessThan(10 * 2 * HEARTBEAT_MS);

    worker!.count('articles_collected', 5);
    worker!.metric('queue_length', 31);
    await eventually(
      async () => [await tileValue('articles_collected'), await tileValue('queue_length')],
      ([counter, gauge]) => counter === '17' && gauge === '31',
      'the new values on the page',
      10 * 2 * HEARTBEAT_MS,
      100,
    );
    expect(await tile('articles_collected').getAttribute('data-kind')).toBe('counter');
    expect(await tile('articles_collected').textContent()).toMatch(/counter · \+5 in 1 h|counter · total/);
    expect(await tile('queue_length').locator('svg').getAttribute('aria-label')).toBe('queue_length over 1 h');
  });

  it('Prometheus scrapes the same numbers: agent_status_custom and agent_status_custom_total', async () => {
    const value = (query: string) => prometheus.query(query).then((r) => r[0]?.value[1]);
    await eventually(
      () => value(`agent_status_custom_total{agent="${AGENT}",metric="articles_collected"}`),
      (v) => v === '17',
      'the counter in Prometheus',
      30_000,
      250,
    );
    await eventually(
      () => value(`agent_status_custom{agent="${AGENT}",metric="queue_length"}`),
      (v) => v === '31',
      'the gauge in Prometheus',
      30_000,
      250,
    );
  });

  it('has no serious accessibility violations, light and dark (screenshots)', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('region', { name: 'Metrics' }).screenshot({ path: `${ARTIFACTS}metrics-tiles.png` });
    await page.screenshot({ path: `${ARTIFACTS}metrics-agent-desktop.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}metrics-agent-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('fits a phone without horizontal scrolling (phone screenshot)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('region', { name: 'Metrics' }).scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}metrics-agent-phone.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the fleet table shows a chosen metric as a column, sorted by it', async () => {
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByRole('button', { name: 'Table' }).click();
    await page.getByText('Metric columns').click();
    await page.getByRole('checkbox', { name: /articles_collected/ }).check();
    const header = page.getByRole('columnheader', { name: /articles_collected/ });
    await header.waitFor();
    const cell = page.locator(`tr[data-agent="${AGENT}"] td[data-metric="articles_collected"]`);
    await eventually(
      () => cell.textContent(),
      (text) => text === '17',
      'the value in the table',
      30_000,
      200,
    );
    await header.getByRole('button').click();
    await eventually(
      () => page.locator('tbody tr[data-agent]').first().getAttribute('data-agent'),
      (name) => name === AGENT,
      'the agent with the most articles first',
      10_000,
      100,
    );
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}metrics-table.png` });
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
