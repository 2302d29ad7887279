// The dashboard in Debian's Chromium against the real stack: sign-in, live updates, commands
// acknowledged by agents, offline detection without reload, viewer restrictions, accessibility.
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { SWEEP_JOB_NAME } from '@agent-status/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { apiKeys, clients, createUser, publicKeyEnv, startTestStack, type RunningStack } from '../support/stack.ts';
import { buildDashboard, removeBuild, serveStatic } from '../support/build-dashboard.ts';
import { CHROMIUM_ARGS, seriousViolations } from '../support/browser.ts';
import { startAgentProcess, type AgentProcess } from '../support/agent-processes.ts';
import { AGENT_NAMES } from '@agent-status/agents/catalog';

const SORTED_NAMES = [...AGENT_NAMES].sort();
const OPERATOR = { email: 'operator@example.com', password: 'operator-password', role: 'operator' as const };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-password', role: 'viewer' as const };
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

let stack: RunningStack;
let buildDir: string;
let site: { url: string; stop(): Promise<void> };
let browser: Browser;
const agents = new Map<string, AgentProcess>();

beforeAll(async () => {
  stack = await startTestStack({ cronIntervalOverrides: { [SWEEP_JOB_NAME]: 500 } });
  await createUser(stack, OPERATOR);
  await createUser(stack, VIEWER);
  const { service } = clients(stack);
  for (const name of AGENT_NAMES) {
    const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: name, p_label: 'e2e' });
    if (error) throw new Error(`issue_agent_token(${name}): ${error.message}`);
    const token = (Array.isArray(data) ? data[0] : data).token as string;
    agents.set(name, startAgentProcess(name, { SUPABASE_URL: stack.url, ...publicKeyEnv(stack), AGENT_TOKEN: token }));
  }
  buildDir = await buildDashboard({ url: stack.url, publishableKey: apiKeys(stack).publishable });
  site = await serveStatic(buildDir, stack.url);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([...agents.values()].map((agent) => agent.shutdown()));
  await site?.stop();
  await stack?.stop();
  if (buildDir) await removeBuild(buildDir);
});

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto(site.url);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-agent]').first().waitFor();
}

const WORKING_STATES = '[data-state="running"], [data-state="warning"], [data-state="error"]';
const card = (page: Page, name: string) => page.locator(`li[data-agent="${name}"]`);

async function expectState(page: Page, name: string, state: string, timeout = 15_000) {
  await card(page, name)
    .and(page.locator(`[data-state="${state}"]`))
    .waitFor({ timeout });
}

describe('dashboard in Chromium', () => {
  it('shows a clear message for wrong credentials', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.getByLabel('Email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await page.close();
  });

  // One operator session walks through the dashboard; each step is one behaviour, in order.
  describe('operator session', () => {
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];
    const cspViolations: string[] = [];

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // The page is served with the same Content-Security-Policy as `npm start`; anything it blocks is a bug.
      await page.exposeFunction('reportCspViolation', (text: string) => cspViolations.push(text));
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (e) =>
          (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(
            `${e.violatedDirective} ${e.blockedURI}`,
          ),
        ),
      );
      await signIn(page, OPERATOR);
    });
    afterAll(async () => {
      await context?.close();
    });

    it('lists every agent by name and goes live', async () => {
      await expect
        .poll(() =>
          page.locator('[data-agent]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.agent)),
        )
        .toEqual(SORTED_NAMES);
      await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    });

    it('start all: every agent acknowledges and runs', async () => {
      // The Example Agent raises warnings and errors by design, so for it any working state counts.
      await page.getByRole('button', { name: 'Start all' }).click();
      await page.getByText(`Start all ${AGENT_NAMES.length} agents?`).waitFor(); // it asks first, with the count
      await page.getByRole('button', { name: 'Yes, start all' }).click();
      for (const name of AGENT_NAMES) {
        if (name === 'Example Agent')
          await card(page, name).and(page.locator(WORKING_STATES)).waitFor({ timeout: 15_000 });
        else await expectState(page, name, 'running');
      }
      await expect.poll(() => page.locator('[data-pending]').count(), { timeout: 15_000 }).toBe(0);
    });

    it('Start of a running agent that acknowledged is unavailable, and says why on focus', async () => {
      const start = page.getByRole('button', { name: 'Start Tweet Scheduler', exact: true });
      await expect.poll(() => start.getAttribute('aria-disabled'), { timeout: 15_000 }).toBe('true');
      const reason = page.locator(`#${await start.getAttribute('aria-describedby')}`);
      expect(await reason.isVisible()).toBe(false);
      await start.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab'); // focus by keyboard, so :focus-visible applies
      await reason.waitFor({ state: 'visible' });
      expect(await reason.textContent()).toMatch(/Already running/);
      await start.click({ force: true });
      expect(await card(page, 'Tweet Scheduler').locator('[data-pending]').count()).toBe(0);
    });

    it('stop one: "stopping…" at once, "Stopped" when the agent acknowledges', async () => {
      // With push wake-up the acknowledgement can come within milliseconds, so the page records the
      // label the moment it appears.
      const clickedAt = await page.evaluate(() => {
        const page = window as unknown as { sawStopping?: number };
        const check = () => {
          const label = document.querySelector('li[data-agent="Blog Generator"] [data-pending]');
          if (page.sawStopping === undefined && label?.textContent?.includes('stopping…'))
            page.sawStopping = performance.now();
        };
        new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
        return performance.now();
      });
      await page.getByRole('button', { name: 'Stop Blog Generator' }).click();
      const sawStopping = () =>
        page.evaluate(() => (window as unknown as { sawStopping?: number }).sawStopping ?? null);
      await expect.poll(sawStopping, { timeout: 2_000 }).not.toBeNull();
      expect((await sawStopping())! - clickedAt).toBeLessThan(2_000);
      await expectState(page, 'Blog Generator', 'stopped');
      await expect.poll(() => card(page, 'Blog Generator').locator('[data-pending]').count()).toBe(0);
    });

    it('the detail panel shows who sent the command, and the host', async () => {
      await page.getByRole('button', { name: 'Blog Generator', exact: true }).click();
      const panel = page.getByRole('complementary');
      await panel.getByText(`stop requested by ${OPERATOR.email}`).waitFor({ timeout: 10_000 });
      await panel.getByText(hostname(), { exact: true }).waitFor();
    });

    it('an agent whose heartbeats stop turns offline, pushed by the server sweep, without a reload', async () => {
      await agents.get('Example Agent')!.kill();
      await expectState(page, 'Example Agent', 'offline', 20_000);
      await expect(card(page, 'Example Agent').locator('[data-heartbeat]').textContent()).resolves.toMatch(/offline/);
    });

    it('a command for an offline agent waits, says for how long, and that it runs when the agent returns', async () => {
      await page.getByRole('button', { name: 'Restart Example Agent' }).click();
      const note = card(page, 'Example Agent').locator('[data-pending]');
      await expect
        .poll(() => note.textContent(), { timeout: 10_000 })
        .toMatch(/restarting… waiting \d+ s · agent offline — will run when it returns/);
    });

    it('filters by state and searches by name', async () => {
      await page.getByRole('combobox', { name: 'State' }).selectOption('offline');
      await expect.poll(() => page.locator('[data-agent]').count()).toBe(1);
      await page.getByRole('combobox', { name: 'State' }).selectOption('all');
      await page.getByLabel('Search').fill('tweet');
      await expect.poll(() => page.locator('[data-agent]').count()).toBe(1);
      await page.getByLabel('Search').fill('');
      await expect.poll(() => page.locator('[data-agent]').count()).toBe(6);
    });

    it('has no serious accessibility violations (desktop screenshot)', async () => {
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}dashboard-desktop.png`, fullPage: true });
    });

    it('fits a phone without horizontal scrolling (phone screenshot)', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: 'Close details' }).click();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${ARTIFACTS}dashboard-phone.png`, fullPage: false });
    });

    it('dark mode has no serious accessibility violations either (dark screenshot)', async () => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('button', { name: 'Account Manager', exact: true }).click();
      await page.getByRole('complementary').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}dashboard-dark.png` });
    });

    it('raised no page error and no Content-Security-Policy violation', () => {
      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
    });
  });

  it('viewer: controls disabled with a reason, and the function refuses a direct call', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, VIEWER);
    for (const name of [
      'Start all',
      'Stop all',
      'Stop Tweet Scheduler',
      'Start Tweet Scheduler',
      'Restart Tweet Scheduler',
    ]) {
      await expect(page.getByRole('button', { name, exact: true }).isDisabled()).resolves.toBe(true);
    }
    await page.getByText('Read-only: viewers cannot start or stop agents.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // The page's own session, used directly against the function, is refused too.
    const accessToken = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => /^sb-.+-auth-token$/.test(k));
      return key
        ? (JSON.parse(localStorage.getItem(key) ?? '{}') as { access_token?: string }).access_token
        : undefined;
    });
    await context.close();
    expect(accessToken).toBeTruthy();
    const response = await fetch(`${stack.url}/functions/v1/agents/stop`, {
      method: 'POST',
      headers: {
        apikey: apiKeys(stack).publishable,
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ agent_name: 'Tweet Scheduler' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('keyboard only: Tab reaches an agent’s Stop, Enter stops it, and focus is visible', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, OPERATOR);
    await card(page, 'Content Collector').and(page.locator(WORKING_STATES)).waitFor({ timeout: 15_000 });
    const focusedLabel = () =>
      page.evaluate(
        () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '',
      );
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focusedLabel()) === 'Stop Content Collector';
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expectState(page, 'Content Collector', 'stopped');
    await page.keyboard.press('Shift+Tab'); // back to Start
    expect(await focusedLabel()).toBe('Start Content Collector');
    await page.keyboard.press('Space');
    await card(page, 'Content Collector').and(page.locator(WORKING_STATES)).waitFor({ timeout: 15_000 });
    await context.close();
  });

  it('Realtime drops: says so, keeps the list current by polling, and is live again when it returns', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    let realtimeUp = true;
    const sockets: WebSocketRoute[] = [];
    // Every Realtime connection of the page goes through this route: passed on to the stack while
    // realtimeUp, refused while it is down.
    await page.routeWebSocket(/\/realtime\/v1\/websocket/, (ws) => {
      if (!realtimeUp) return void ws.close({ code: 1011, reason: 'e2e: Realtime down' });
      sockets.push(ws);
      ws.connectToServer();
    });
    const connection = page.locator('[data-connection]');
    await signIn(page, OPERATOR);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });

    realtimeUp = false;
    await Promise.all(sockets.splice(0).map((ws) => ws.close({ code: 1011, reason: 'e2e: Realtime down' })));
    await page.locator('[data-connection="polling"]').waitFor({ timeout: 15_000 });
    expect(await connection.textContent()).toMatch(/Reconnecting/);

    // Changes made while Realtime is down still reach the page, by polling (every 3 s).
    const { service } = clients(stack);
    const { error: insertError } = await service.from('agent_status').insert({ agent_name: 'Reconnect Probe' });
    expect(insertError).toBeNull();
    await card(page, 'Reconnect Probe').waitFor({ timeout: 10_000 });
    const report = (kind: 'warning' | 'error', message: string) =>
      service.rpc('agent_report', { p_kind: kind, p_agent_name: 'Reconnect Probe', p_message: message });
    expect((await report('warning', 'seen by polling')).error).toBeNull();
    await expectState(page, 'Reconnect Probe', 'warning', 10_000);

    // Realtime returns: the page reconnects on its own, says Live, and pushed changes arrive again.
    realtimeUp = true;
    await page.locator('[data-connection="live"]').waitFor({ timeout: 30_000 });
    expect((await report('error', 'seen live')).error).toBeNull();
    await expectState(page, 'Reconnect Probe', 'error', 5_000);
    await expect(card(page, 'Reconnect Probe').textContent()).resolves.toMatch(/seen live/);
    await context.close();
  });
});
