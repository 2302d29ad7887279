// What the browser tests share: how Chromium is launched, signing in, and the axe-core check.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Signs in on the dashboard at `url` and waits for the first agent to be shown. */
export async function signIn(page: Page, url: string, user: { email: string; password: string }) {
  await page.goto(url);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-agent]').first().waitFor({ timeout: 30_000 });
}

/** axe-core's serious and critical violations on the page as it is now, as "rule: targets". */
export async function seriousViolations(page: Page): Promise<string[]> {
  // evaluate, not addScriptTag: the page's CSP (rightly) blocks injected inline scripts.
  await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return axe.run();
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
