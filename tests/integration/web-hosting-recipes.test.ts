// The static hosting recipes `vite build` writes into web/dist: `_headers` (Netlify, Cloudflare Pages) and
// `vercel.json` hold the same security headers `npm start` serves the dashboard with, for the project the
// bundle talks to; with DASHBOARD_LEGACY_API=1 the original system's /api/agents/start|stop|start-all are
// forwarded to the `agents` function (`_redirects`, vercel.json rewrites). Without a project URL nothing
// is written (there would be no connect-src to give).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PUBLISHABLE_KEY } from '@agent-status/stack';
import { buildDashboard, removeBuild, serveStatic } from '../support/build-dashboard.ts';

const PROJECT = 'https://abcdefghijklmnopqrst.supabase.co';

/** `_headers` as the hosts read it: path lines, then indented "Name: value" lines for that path. */
function parseHeadersFile(text: string): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let path = '';
  for (const line of text.split('\n').filter(Boolean)) {
    if (!line.startsWith(' ')) rules[(path = line)] = {};
    else {
      const [name, ...value] = line.trim().split(': ');
      rules[path][name] = value.join(': ');
    }
  }
  return rules;
}

describe('static hosting recipes in web/dist', () => {
  let dist: string;
  let withLegacyApi: string;

  beforeAll(async () => {
    dist = await buildDashboard({ url: `${PROJECT}/`, publishableKey: LOCAL_PUBLISHABLE_KEY });
    process.env.DASHBOARD_LEGACY_API = '1';
    try {
      withLegacyApi = await buildDashboard({ url: PROJECT, publishableKey: LOCAL_PUBLISHABLE_KEY });
    } finally {
      delete process.env.DASHBOARD_LEGACY_API;
    }
  }, 240_000);
  afterAll(async () => {
    for (const dir of [dist, withLegacyApi]) if (dir) await removeBuild(dir);
  });

  it('_headers carries exactly the headers npm start serves, with the project in connect-src', async () => {
    const site = await serveStatic(dist, PROJECT);
    try {
      const served = await fetch(site.url);
      const rules = parseHeadersFile(await readFile(join(dist, '_headers'), 'utf8'));
      expect(Object.keys(rules)).toEqual(['/*', '/assets/*']);
      expect(rules['/*']).toEqual({
        'Content-Security-Policy': served.headers.get('content-security-policy'),
        'X-Content-Type-Options': served.headers.get('x-content-type-options'),
        'Referrer-Policy': served.headers.get('referrer-policy'),
      });
      expect(rules['/*']['Content-Security-Policy']).toContain(
        `connect-src 'self' ${PROJECT} wss://abcdefghijklmnopqrst.supabase.co;`,
      );
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await served.text())?.[1];
      const servedAsset = await fetch(new URL(asset!, site.url));
      expect(rules['/assets/*']).toEqual({ 'Cache-Control': servedAsset.headers.get('cache-control') });
    } finally {
      await site.stop();
    }
  });

  it('vercel.json has the same headers, no-cache outside the hashed assets, and no rewrites unless asked', async () => {
    const config = JSON.parse(await readFile(join(dist, 'vercel.json'), 'utf8'));
    const rules = parseHeadersFile(await readFile(join(dist, '_headers'), 'utf8'));
    const bySource = Object.fromEntries(
      config.headers.map((h: { source: string; headers: { key: string; value: string }[] }) => [
        h.source,
        Object.fromEntries(h.headers.map(({ key, value }) => [key, value])),
      ]),
    );
    expect(bySource).toEqual({
      '/(.*)': rules['/*'],
      '/((?!assets/).*)': { 'Cache-Control': 'no-cache' },
      '/assets/(.*)': rules['/assets/*'],
    });
    expect(config.rewrites).toBeUndefined();
    expect(existsSync(join(dist, '_redirects'))).toBe(false);
  });

  it('DASHBOARD_LEGACY_API=1: /api/agents/start|stop|start-all forwarded to the agents function', async () => {
    expect(await readFile(join(withLegacyApi, '_redirects'), 'utf8')).toBe(
      [
        `/api/agents/start  ${PROJECT}/functions/v1/agents/start  200!`,
        `/api/agents/stop  ${PROJECT}/functions/v1/agents/stop  200!`,
        `/api/agents/start-all  ${PROJECT}/functions/v1/agents/start-all  200!`,
        '',
      ].join('\n'),
    );
    const config = JSON.parse(await readFile(join(withLegacyApi, 'vercel.json'), 'utf8'));
    expect(config.rewrites).toEqual([
      { source: '/api/agents/start', destination: `${PROJECT}/functions/v1/agents/start` },
      { source: '/api/agents/stop', destination: `${PROJECT}/functions/v1/agents/stop` },
      { source: '/api/agents/start-all', destination: `${PROJECT}/functions/v1/agents/start-all` },
    ]);
  });
});
