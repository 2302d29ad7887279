// Schedules on the dashboard in Chromium against the stack: an operator adds a schedule on an agent's
// Schedules view and one for a tag on the fleet's Schedules page (#/schedules, with the coming changes);
// the agent's card and table row show its next scheduled change, and an operator's stop as "stopped by …
// until …"; a schedule's command reaches the activity feed with its actor; viewers read but do not write;
// axe-core finds nothing serious, light and dark; screenshots of each view, and on a phone.
import { mkdir } from 'node:fs/promises';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { apiKeys, clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';
import { buildDashboard, removeBuild, serveStatic } from '../support/build-dashboard.ts';
import { CHROMIUM_ARGS, seriousViolations, signIn } from '../support/browser.ts';
import { formatDays, WEEKDAYS } from '@agent-status/domain';

const OPERATOR = { email: 'schedules-operator@example.com', password: 'schedules-operator-password', role: 'operator' };
const VIEWER = { email: 'schedules-viewer@example.com', password: 'schedules-viewer-password', role: 'viewer' };
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const AGENT = 'Tweet Scheduler';
// The agent's window: 08:00–20:00 in Berlin on every day but today, so that it is closed now whatever
// the day (the operator's start below then holds against it).
const today = WEEKDAYS.indexOf(
  new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', weekday: 'short' }).format(new Date()) as never,
);
const WINDOW = `${formatDays([1, 2, 3, 4, 5, 6, 7].filter((d) => d !== today + 1))} 08:00–20:00`;

let stack: RunningStack;
let service: SupabaseClient;
let buildDir: string;
let site: { url: string; stop(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  service = clients(stack).service;
  await createUser(stack, OPERATOR);
  await createUser(stack, VIEWER);
  await service.rpc('tag_agents', { p_agent_names: ['Blog Generator', 'Content Collector'], p_add: ['social'] });
  buildDir = await buildDashboard({ url: stack.url, publishableKey: apiKeys(stack).publishable });
  site = await serveStatic(buildDir, stack.url);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await stack?.stop();
  if (buildDir) await removeBuild(buildDir);
});

describe('schedules on the dashboard', () => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, site.url, OPERATOR);
  });
  afterAll(async () => {
    await context?.close();
  });

  const panel = () => page.getByRole('complementary');
  const card = () => page.locator(`li[data-agent="${AGENT}"]`);

  it("an agent's Schedules view has its own address beside Overview, Logs, Settings and Tokens", async () => {
    await page.goto(`${site.url}/#/agents/${encodeURIComponent(AGENT)}/schedules`);
    const tabs = panel().getByRole('navigation', { name: `Views of ${AGENT}` });
    expect(await tabs.getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Logs',
      'Settings',
      'Tokens',
      'Schedules',
    ]);
    expect(await tabs.getByRole('link', { name: 'Schedules' }).getAttribute('aria-current')).toBe('page');
    await panel().getByText('No enabled schedule changes this agent.').waitFor();
  });

  it('an operator adds a window for the agent; the form says what is wrong first', async () => {
    const form = panel().getByRole('form', { name: 'Add a schedule' });
    await form.getByLabel('Name').fill('Office Hours');
    await form.getByRole('button', { name: 'Add schedule' }).click();
    await form.getByRole('alert').filter({ hasText: 'lower-case letters' }).waitFor();
    await form.getByLabel('Name').fill('tweets-office');
    await form.getByLabel('Days and times').fill('Mon-Fry 08:00-20:00');
    await form.getByRole('button', { name: 'Add schedule' }).click();
    await form.getByRole('alert').filter({ hasText: '"Mon-Fry" is not a day' }).waitFor();
    await form.getByLabel('Days and times').fill(WINDOW);
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByRole('button', { name: 'Add schedule' }).click();
    const row = panel().locator('[data-schedule="tweets-office"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-window]').textContent()).toBe(`running ${WINDOW} (Europe/Berlin)`);
    expect(await row.locator('[data-now]').textContent()).toBe('stopped outside the window');
    expect(await row.locator('[data-next]').textContent()).toMatch(/^(starts|stops) /);
    expect(await panel().locator('p[data-schedule-note]').textContent()).toMatch(
      /^Next: (starts|stops) .+\(schedule tweets-office\)\./,
    );
  });

  it('the database refuses a bad cron expression with its own message', async () => {
    const form = panel().getByRole('form', { name: 'Add a schedule' });
    await form.getByLabel('Name').fill('bad-cron');
    await form.getByLabel('cron expressions').check();
    await form.getByLabel('Opens at').fill('0 25 * * *');
    await form.getByRole('button', { name: 'Add schedule' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: 'cron expression "0 25 * * *": hour "25" is out of range 0–23' })
      .waitFor();
    await form.getByLabel('a time window').check();
  });

  it('has no serious accessibility violations (agent schedules screenshot)', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    await panel().evaluate((element) => element.scrollTo(0, 0));
    await page.screenshot({ path: `${ARTIFACTS}schedules-agent.png`, fullPage: true });
  });

  it("the agent's card shows its next scheduled change, and the table row too", async () => {
    await page.getByRole('button', { name: 'Close details' }).click();
    await expect.poll(() => card().locator('[data-schedule-note]').textContent()).toMatch(/^Next: (starts|stops) /);
    expect(await page.locator('li[data-agent="Account Manager"] [data-schedule-note]').count()).toBe(0);
    await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Table' }).click();
    const row = page.locator(`tr[data-agent="${AGENT}"] [data-schedule-note]`);
    expect(await row.textContent()).toMatch(/^(starts|stops) /);
    await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Cards' }).click();
  });

  it("an operator's start holds until the next change, and the card says so", async () => {
    await card()
      .getByRole('button', { name: `Start ${AGENT}`, exact: true })
      .click();
    await expect
      .poll(() => card().locator('[data-schedule-note]').textContent(), { timeout: 15_000 })
      .toMatch(/^started by schedules-operator until .+/);
  });

  it("a schedule's command reaches the fleet's activity with the schedule as its actor", async () => {
    // The controllable clock: the schedule's next closing, as the database computes it.
    const { data } = await service
      .from('agent_schedule_overview')
      .select('next_change_at, next_state, second_change_at')
      .eq('name', 'tweets-office')
      .single();
    const closing = data!.next_state === 'stopped' ? data!.next_change_at : data!.second_change_at;
    const { data: commanded, error } = await service.rpc('run_agent_schedules', { p_now: closing });
    expect(error).toBeNull();
    expect(commanded).toBe(1);
    await expect
      .poll(() => card().locator('[data-schedule-note]').textContent(), { timeout: 15_000 })
      .toMatch(/^Next: starts /);
    await page.getByRole('link', { name: 'Activity' }).click();
    await page
      .getByRole('list', { name: 'Events, newest first' })
      .getByText('stop requested by schedule:tweets-office')
      .first()
      .waitFor({ timeout: 15_000 });
  });

  it('the Schedules page lists the coming changes and every schedule; an operator adds one for a tag', async () => {
    await page.locator('nav.pages').getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { name: 'Schedules', level: 2 }).waitFor();
    const upcoming = page.locator('li[data-transition="tweets-office"]');
    await upcoming.first().waitFor({ timeout: 15_000 });
    expect(await upcoming.count()).toBeGreaterThanOrEqual(10); // six days a week, twice a day, over seven days
    const form = page.getByRole('form', { name: 'Add a schedule' });
    await form.getByLabel('Name').fill('social-nights');
    await form.getByLabel('every agent with a tag').check();
    await form.getByLabel('Tag', { exact: true }).fill('social');
    await form.getByLabel('Inside the window the agent is').selectOption('stopped');
    await form.getByLabel('Days and times').fill('daily 22:00-06:00');
    await form.getByLabel('Time zone').fill('America/New_York');
    await form.getByRole('button', { name: 'Add schedule' }).click();
    const row = page.locator('li[data-schedule="social-nights"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-covers]').textContent()).toBe('#social (2 agents)');
    await page.locator('li[data-transition="social-nights"]').first().waitFor({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}schedules-page.png`, fullPage: true });
  });

  it('an operator disables and enables a schedule', async () => {
    const row = page.locator('li[data-schedule="social-nights"]');
    await row.getByRole('button', { name: 'Disable social-nights' }).click();
    await expect.poll(() => row.locator('[data-next]').textContent(), { timeout: 10_000 }).toBe('disabled');
    await row.getByRole('button', { name: 'Enable social-nights' }).click();
    await expect.poll(() => row.locator('[data-next]').textContent(), { timeout: 10_000 }).toMatch(/^(starts|stops) /);
  });

  it('dark mode has no serious accessibility violations either (dark screenshot)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}schedules-page-dark.png`, fullPage: true });
    await page.goto(`${site.url}/#/agents/${encodeURIComponent(AGENT)}/schedules`);
    await panel().locator('[data-schedule="tweets-office"]').waitFor({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await panel().evaluate((element) => element.scrollTo(0, 0));
    await page.screenshot({ path: `${ARTIFACTS}schedules-agent-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('fits a phone without horizontal scrolling (phone screenshot)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${site.url}/#/schedules`);
    await page.locator('li[data-schedule="tweets-office"]').waitFor({ timeout: 15_000 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    await page.screenshot({ path: `${ARTIFACTS}schedules-phone.png`, fullPage: true });
    expect(overflow).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('viewers', () => {
  it('read the schedules and their changes, but get no form and no buttons', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await signIn(page, site.url, VIEWER);
      await page.goto(`${site.url}/#/agents/${encodeURIComponent(AGENT)}/schedules`);
      const aside = page.getByRole('complementary');
      await aside.locator('[data-schedule="tweets-office"]').waitFor({ timeout: 15_000 });
      expect(await aside.getByRole('form', { name: 'Add a schedule' }).count()).toBe(0);
      expect(await aside.getByRole('button', { name: /Disable|Remove/ }).count()).toBe(0);
      await page.locator('nav.pages').getByRole('link', { name: 'Schedules' }).click();
      await page.locator('li[data-transition]').first().waitFor({ timeout: 15_000 });
      expect(await page.getByRole('form', { name: 'Add a schedule' }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
