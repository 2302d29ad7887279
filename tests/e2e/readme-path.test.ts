// the README's "Report from your own agent", followed literally as a new user, in
// Chromium against the real stack. Install the packed SDK into an empty project outside the repository;
// sign in as an operator; Add agent "My Agent"; issue a token on its Tokens view (shown once); copy the
// Environment snippet into .env and the TypeScript snippet into agent.mjs with the copy buttons (the real
// clipboard); `node agent.mjs`; Start on the dashboard → running within two heartbeat intervals; Stop →
// stopped. Screenshots of the three screens (add agent, the token shown once, settings) go to tests/artifacts/.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { SWEEP_JOB_NAME } from '@agent-status/domain';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, removeBuild, serveStatic } from '../support/build-dashboard.ts';
import { CHROMIUM_ARGS, seriousViolations } from '../support/browser.ts';
import { apiKeys, createUser, startTestStack, type RunningStack } from '../support/stack.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const OPERATOR = { email: 'new-user@example.com', password: 'new-user-password', role: 'operator' as const };
/** The form's default heartbeat interval, which the new user keeps. */
const HEARTBEAT_S = 10;
const run = promisify(execFile);
const CURL = ['/usr/bin/curl', '/bin/curl'].find((path) => existsSync(path));

let stack: RunningStack;
let buildDir: string;
let site: { url: string; stop(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let work: string;
let project: string;
let worker: ChildProcess | undefined;
let workerOutput = '';

beforeAll(async () => {
  // The SDK as the README says to get it: packed in this repository, installed in the team's own project.
  work = mkdtempSync(join(tmpdir(), 'readme-path-'));
  const { stdout } = await run('npm', ['pack', '-w', 'agent-sdk', '--pack-destination', work, '--json'], {
    cwd: REPO_ROOT,
  });
  const tarball = join(work, JSON.parse(stdout)[0].filename);
  project = join(work, 'my-agents');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-agents', private: true, type: 'module' }));
  await run('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: project });

  stack = await startTestStack({ cronIntervalOverrides: { [SWEEP_JOB_NAME]: 1000 } });
  await createUser(stack, OPERATOR);
  buildDir = await buildDashboard({ url: stack.url, publishableKey: apiKeys(stack).publishable });
  site = await serveStatic(buildDir, stack.url);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = await context.newPage();
  mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await browser?.close();
  await site?.stop();
  await stack?.stop();
  if (buildDir) await removeBuild(buildDir);
  if (work) rmSync(work, { recursive: true, force: true });
});

const row = () => page.locator('li[data-agent="My Agent"]');
/** The page from its top, tall enough for the whole side panel (it scrolls by itself on a short screen). */
async function screenshot(file: string) {
  await page.setViewportSize({ width: 1280, height: 1700 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, file) });
  await page.setViewportSize({ width: 1280, height: 900 });
}
const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

describe("the README's path for your own agent, as a new user", () => {
  it('installs the packed SDK in a project outside the repository', () => {
    expect(relative(REPO_ROOT, project).startsWith('..')).toBe(true);
    expect(
      JSON.parse(readFileSync(join(project, 'node_modules', '@agent-status', 'agent-sdk', 'package.json'), 'utf8'))
        .name,
    ).toBe('@agent-status/agent-sdk');
  });

  it('signs in as an operator and adds "My Agent"', async () => {
    await page.goto(site.url);
    await page.getByLabel('Email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Add agent' }).click();
    const form = page.getByRole('form', { name: 'Add agent' });
    await form.getByLabel('Name').fill('My Agent');
    await page.screenshot({ path: join(ARTIFACTS, 'registry-add-agent.png') });
    await form.getByRole('button', { name: 'Add agent' }).click();
    await page.waitForURL(/#\/agents\/My%20Agent\/tokens$/);
    await row().and(page.locator('[data-state="stopped"]')).waitFor();
  });

  it('issues a token, shown once, and copies the Environment and TypeScript snippets into the project', async () => {
    await page.getByRole('button', { name: 'Issue token' }).click();
    const shown = page.getByRole('region', { name: 'New token for My Agent' });
    await shown.waitFor();
    const token = (await shown.locator('[data-token]').textContent())!;
    expect(token).toMatch(/^ast_[0-9a-f]{64}$/);
    await screenshot('registry-token-shown-once.png');
    expect(await seriousViolations(page)).toEqual([]);

    await shown.getByRole('button', { name: 'Copy Environment' }).click();
    const env = await clipboard();
    expect(env).toContain(`AGENT_TOKEN=${token}`);
    writeFileSync(join(project, '.env'), env);
    await shown.getByRole('button', { name: /^Copy TypeScript/ }).click();
    writeFileSync(join(project, 'agent.mjs'), await clipboard());
    if (CURL) {
      // The curl snippet sends one heartbeat with the new token, from a shell.
      await shown.getByRole('button', { name: 'Copy One heartbeat with curl' }).click();
      const { stdout } = await run('sh', ['-c', await clipboard()], { env: { PATH: process.env.PATH } });
      expect(JSON.parse(stdout)).toMatchObject([{ agent_name: 'My Agent', desired_state: 'stopped' }]);
    }

    // Shown once: gone when dismissed, and the list knows the token only by its metadata.
    await shown.getByRole('button', { name: 'Done, I have stored it' }).click();
    await page.locator('[data-token-row]').first().waitFor();
    expect(await page.content()).not.toContain(token);
  });

  it('runs the copied agent.mjs with plain node; Start makes it run within two heartbeat intervals; Stop stops it', async () => {
    // Nothing but the .env beside it: the environment of a fresh shell.
    worker = spawn(process.execPath, ['agent.mjs'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', HOME: project },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk) => (workerOutput += chunk));
    worker.stderr!.on('data', (chunk) => (workerOutput += chunk));
    // The worker's first report: it is there, and stopped as the agent's desired state says.
    await page
      .locator('li[data-agent="My Agent"] [data-heartbeat]')
      .filter({ hasText: /just now|s ago/ })
      .waitFor({ timeout: 30_000 });

    const started = Date.now();
    await row().getByRole('button', { name: 'Start My Agent', exact: true }).click();
    await row()
      .and(page.locator('[data-state="running"]'))
      .waitFor({ timeout: 2 * HEARTBEAT_S * 1000 });
    await row()
      .locator('[data-pending]')
      .waitFor({ state: 'detached', timeout: 2 * HEARTBEAT_S * 1000 });
    expect(Date.now() - started, workerOutput).toBeLessThanOrEqual(2 * HEARTBEAT_S * 1000);
    await row()
      .getByText('working')
      .waitFor({ timeout: 2 * HEARTBEAT_S * 1000 });

    await row().getByRole('button', { name: 'Stop My Agent', exact: true }).click();
    await row()
      .and(page.locator('[data-state="stopped"]'))
      .waitFor({ timeout: 2 * HEARTBEAT_S * 1000 });
    expect(worker.exitCode, workerOutput).toBeNull(); // stopped work, not a stopped process: Start works again
  });

  it('the settings view is one address away (screenshot)', async () => {
    await page.goto(`${site.url}#/agents/My%20Agent/settings`);
    await page.getByRole('form', { name: 'Agent settings' }).waitFor();
    await screenshot('registry-settings.png');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('Ctrl-C (SIGTERM) ends the worker cleanly', async () => {
    worker!.kill('SIGTERM');
    const [code] = await once(worker!, 'exit');
    expect(code, workerOutput).toBe(0);
  });
});
