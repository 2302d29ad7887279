// The dashboard with a real fleet (issue 17) in Chromium against the stack: a fleet past
// config.toml's max_rows shown whole, the table view, tags, the activity page, availability.
// Agents are rows seeded with one statement (no worker processes): what is under test is the page.
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { apiKeys, createUser, startTestStack, type RunningStack } from '../support/stack.ts';
import { buildDashboard, removeBuild, serveStatic } from '../support/build-dashboard.ts';
import { CHROMIUM_ARGS, signIn } from '../support/browser.ts';

const OPERATOR = { email: 'fleet-operator@example.com', password: 'fleet-operator-password', role: 'operator' as const };
const SEEDED = 6; // seed.sql's agents
const FLEET = 1_234; // past max_rows = 1000
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
const fleetName = (i: number) => `fleet-${String(i).padStart(5, '0')}`;

let stack: RunningStack;
let buildDir: string;
let site: { url: string; stop(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack();
  await stack.db.query(
    `insert into public.agent_status (agent_name, status, health, last_heartbeat, started_at)
     select 'fleet-' || lpad(g::text, 5, '0'), 'running', 90, now(), now() - interval '1 hour' from generate_series(0, $1::int - 1) g`,
    [FLEET],
  );
  await createUser(stack, OPERATOR);
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

describe(`a fleet of ${FLEET + SEEDED} agents in Chromium`, () => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, site.url, OPERATOR);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('shows every agent past max_rows: the count and the last agent by name', async () => {
    const total = page.locator('[data-total]');
    await expect.poll(() => total.getAttribute('data-total'), { timeout: 30_000 }).toBe(String(FLEET + SEEDED));
    await page.getByLabel('Search').fill(fleetName(FLEET - 1));
    await page.locator(`[data-agent="${fleetName(FLEET - 1)}"]`).waitFor();
    await page.getByLabel('Search').fill('');
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
