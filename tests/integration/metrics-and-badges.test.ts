// The `metrics` Edge Function against the real stack: the exposition passes `promtool check metrics`,
// a real Prometheus scrapes it with a metrics token (no Supabase key: verify_jwt = false, the function
// checks the token) and sees every agent and a change when one stops; wrong and revoked tokens get 401;
// awkward agent names are escaped. Badges: SVG (well-formed XML) and shields JSON for up, down and
// mixed; unknown and revoked keys 404.
import { execFile } from 'node:child_process';
import type { SupabaseClient } from '@supabase/supabase-js';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.ts';
import { clients, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = { email: 'operator@example.com', password: 'operator-password-1', role: 'operator' };
const QUOTED = 'a"b\\c';
const MULTILINE = 'first line\nsecond line';
const SEEDED = [
  'Content Collector',
  'Blog Generator',
  'Tweet Scheduler',
  'Engagement Analyzer',
  'Account Manager',
  'Example Agent',
];
const ALL_AGENTS = [...SEEDED, QUOTED, MULTILINE];

function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
    child.stdin!.end(text);
  });
}

/** Parses the SVG as strict XML (saxes throws on anything not well-formed): its root element and title. */
function parseSvg(text: string): { root: string; title: string } {
  const parser = new SaxesParser({ xmlns: true });
  const open: string[] = [];
  let root = '';
  let title = '';
  parser.on('opentag', (tag) => {
    root ||= tag.local;
    open.push(tag.local);
  });
  parser.on('closetag', () => void open.pop());
  parser.on('text', (chunk) => {
    if (open.at(-1) === 'title') title += chunk;
  });
  parser.write(text).close();
  expect(root).toBe('svg');
  return { root, title };
}

describe.each(databases)('metrics and badges ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let operator: SupabaseClient;
  let service: SupabaseClient;
  let token: string;
  const metricsUrl = () => `${stack.url}/functions/v1/metrics`;
  const scrape = (bearer?: string) =>
    fetch(metricsUrl(), { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  const report = async (kind: 'started' | 'stopped' | 'error', agent: string) => {
    const { error } = await service.rpc('agent_report', { p_kind: kind, p_agent_name: agent });
    if (error) throw new Error(error.message);
  };
  /** A heartbeat carrying custom metrics (what the SDKs' agent.metric and agent.count send). */
  const reportMetrics = async (agent: string, metrics: Record<string, unknown>) => {
    const { error } = await service.rpc('agent_report', {
      p_kind: 'heartbeat',
      p_agent_name: agent,
      p_info: { metrics } as never,
    });
    if (error) throw new Error(error.message);
  };
  async function issue<T>(fn: string, args: Record<string, unknown> = {}): Promise<T> {
    const { data, error } = await operator.rpc(fn, args);
    if (error) throw new Error(`${fn}: ${error.message}`);
    return (data as T[])[0];
  }

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    service = clients(stack).service;
    await createUser(stack, OPERATOR);
    operator = await clients(stack).signIn(OPERATOR.email, OPERATOR.password);
    const { error } = await service.from('agent_status').insert([{ agent_name: QUOTED }, { agent_name: MULTILINE }]);
    if (error) throw new Error(error.message);
    token = (await issue<{ token: string }>('issue_metrics_token', { p_label: 'prometheus' })).token;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('scrapes', () => {
    it('answer the text format, which passes promtool check metrics', async () => {
      await report('started', 'Content Collector');
      await report('error', 'Blog Generator');
      await reportMetrics('Content Collector', {
        series: 'run-1',
        gauges: { queue_length: 12.5 },
        counters: { articles_collected: 40 },
      });
      await reportMetrics(QUOTED, { gauges: { queue_length: -1 } });
      const response = await scrape(token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await response.text();
      const check = await promtoolCheck(text);
      expect(check.output).toBe('');
      expect(check.code).toBe(0);
      expect(text).toMatch(/^agent_status_up\{agent="Content Collector"\} 1$/m);
      expect(text).toMatch(/^agent_status_state\{agent="Blog Generator",state="error"\} 1$/m);
      expect(text).toMatch(/^agent_status_errors_total\{agent="Blog Generator"\} 1$/m);
      expect(text).toMatch(/^agent_status_agents\{state="stopped"\} 6$/m);
      expect(text).toMatch(/^agent_status_custom\{agent="Content Collector",metric="queue_length"\} 12\.5$/m);
      expect(text).toMatch(/^agent_status_custom_total\{agent="Content Collector",metric="articles_collected"\} 40$/m);
      expect(text).toContain('agent_status_custom{agent="a\\"b\\\\c",metric="queue_length"} -1\n');
    });

    it('escape an agent named a"b\\c (and one with a line feed) as the format requires', async () => {
      const text = await (await scrape(token)).text();
      expect(text).toContain('agent_status_up{agent="a\\"b\\\\c"} 0\n');
      expect(text).toContain('agent_status_up{agent="first line\\nsecond line"} 0\n');
      expect(text).not.toContain('first line\nsecond');
    });

    it('refuse a missing, wrong or revoked token with 401', async () => {
      expect((await scrape()).status).toBe(401);
      const wrong = await scrape(`asm_${'0'.repeat(64)}`);
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await wrong.json()).error.code).toBe('unauthorized');

      const spare = await issue<{ token_id: string; token: string }>('issue_metrics_token', { p_label: 'spare' });
      expect((await scrape(spare.token)).status).toBe(200);
      expect((await operator.rpc('revoke_metrics_token', { p_token_id: spare.token_id })).data).toBe(true);
      expect((await scrape(spare.token)).status).toBe(401);
      // A user's own session is not a metrics token either.
      const session = (await operator.auth.getSession()).data.session!.access_token;
      expect((await scrape(session)).status).toBe(401);
    });
  });

  describe('a real Prometheus', () => {
    let prometheus: PrometheusServer;
    beforeAll(async () => {
      prometheus = await startPrometheus({
        baseUrl: stack.url,
        metricsPath: '/functions/v1/metrics',
        bearerToken: token,
      });
    }, 60_000);
    afterAll(async () => {
      await prometheus?.stop();
    });

    it('answers agent_status_up for every agent, with the labels unescaped again', async () => {
      const series = await eventually(
        () => prometheus.query('agent_status_up'),
        (r) => r.length === ALL_AGENTS.length,
        'every agent in Prometheus',
        30_000,
        250,
      );
      expect(series.map((s) => s.metric.agent).sort()).toEqual([...ALL_AGENTS].sort());
      expect(series.every((s) => s.metric.job === 'agent-status')).toBe(true);
      const up = Object.fromEntries(series.map((s) => [s.metric.agent, s.value[1]]));
      expect(up['Content Collector']).toBe('1');
      expect(up[QUOTED]).toBe('0');
    });

    it('shows the change after an agent is stopped', async () => {
      await report('started', 'Tweet Scheduler');
      const upOf = () => prometheus.query('agent_status_up{agent="Tweet Scheduler"}').then((r) => r[0]?.value[1]);
      await eventually(upOf, (v) => v === '1', 'Tweet Scheduler up', 30_000, 250);
      await report('stopped', 'Tweet Scheduler');
      await eventually(upOf, (v) => v === '0', 'Tweet Scheduler down', 30_000, 250);
      const state = await prometheus.query('agent_status_state{agent="Tweet Scheduler"} == 1');
      expect(state.map((s) => s.metric.state)).toEqual(['stopped']);
      const restarts = await prometheus.query('agent_status_restarts_total{agent="Tweet Scheduler"}');
      expect(restarts[0].value[1]).toBe('0');
    });

    it("reads the agents' own numbers: a gauge, and a counter that keeps going up across a worker restart", async () => {
      const custom = await eventually(
        () => prometheus.query('agent_status_custom{metric="queue_length"}'),
        (r) => r.length === 2,
        'both queue_length gauges in Prometheus',
        30_000,
        250,
      );
      expect(Object.fromEntries(custom.map((s) => [s.metric.agent, s.value[1]]))).toEqual({
        'Content Collector': '12.5',
        [QUOTED]: '-1',
      });
      const total = () =>
        prometheus
          .query('agent_status_custom_total{agent="Content Collector",metric="articles_collected"}')
          .then((r) => r[0]?.value[1]);
      await eventually(total, (v) => v === '40', 'the counter', 30_000, 250);
      // A restarted worker counts from zero again (a new series); the exported total goes on.
      await reportMetrics('Content Collector', { series: 'run-2', counters: { articles_collected: 5 } });
      await eventually(total, (v) => v === '45', 'the counter after the restart', 30_000, 250);
    });
  });

  describe('badges', () => {
    const badgeUrl = (key: string, format: 'svg' | 'json') =>
      `${stack.url}/functions/v1/metrics/badge/${key}.${format}`;
    async function svgOf(key: string) {
      const response = await fetch(badgeUrl(key, 'svg'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      const text = await response.text();
      expect(text.length).toBeLessThan(3000);
      return { text, ...parseSvg(text) };
    }
    const jsonOf = async (key: string) => {
      const response = await fetch(badgeUrl(key, 'json'));
      expect(response.status).toBe(200);
      return response.json();
    };

    it('show one agent up, then down, as SVG and shields JSON, without a login', async () => {
      const { key } = await issue<{ key: string }>('issue_badge_key', { p_agent_name: 'Account Manager' });
      await report('started', 'Account Manager');
      expect(await jsonOf(key)).toEqual({
        schemaVersion: 1,
        label: 'Account Manager',
        message: 'running',
        color: 'brightgreen',
      });
      expect((await svgOf(key)).title).toBe('Account Manager: running');
      await report('stopped', 'Account Manager');
      expect(await jsonOf(key)).toEqual({
        schemaVersion: 1,
        label: 'Account Manager',
        message: 'stopped',
        color: 'lightgrey',
      });
      expect((await svgOf(key)).title).toBe('Account Manager: stopped');
    });

    it('show all agents up, mixed and down', async () => {
      const { key } = await issue<{ key: string }>('issue_badge_key');
      for (const agent of ALL_AGENTS) await report('started', agent);
      expect(await jsonOf(key)).toEqual({ schemaVersion: 1, label: 'agents', message: '8 up', color: 'brightgreen' });
      await report('stopped', 'Example Agent');
      expect(await jsonOf(key)).toEqual({
        schemaVersion: 1,
        label: 'agents',
        message: '7 up, 1 down',
        color: 'orange',
      });
      expect((await svgOf(key)).title).toBe('agents: 7 up, 1 down');
      for (const agent of ALL_AGENTS) await report('stopped', agent);
      expect(await jsonOf(key)).toEqual({ schemaVersion: 1, label: 'agents', message: '8 down', color: 'red' });
    });

    it('escape the agent name in the SVG', async () => {
      const { key } = await issue<{ key: string }>('issue_badge_key', { p_agent_name: QUOTED });
      const { text, title } = await svgOf(key);
      expect(title).toBe(`${QUOTED}: stopped`);
      expect(text).toContain('a&quot;b\\c');
      const multiline = await issue<{ key: string }>('issue_badge_key', { p_agent_name: MULTILINE });
      expect((await svgOf(multiline.key)).title).toBe('first line second line: stopped');
    });

    it('answer 404 for an unknown or revoked key', async () => {
      expect((await fetch(badgeUrl(`asb_${'0'.repeat(32)}`, 'svg'))).status).toBe(404);
      expect((await fetch(badgeUrl(`asb_${'0'.repeat(32)}`, 'json'))).status).toBe(404);
      const { key_id, key } = await issue<{ key_id: string; key: string }>('issue_badge_key', {
        p_agent_name: 'Content Collector',
      });
      expect((await fetch(badgeUrl(key, 'svg'))).status).toBe(200);
      expect((await operator.rpc('revoke_badge_key', { p_key_id: key_id })).data).toBe(true);
      for (const format of ['svg', 'json'] as const) {
        const response = await fetch(badgeUrl(key, format));
        expect(response.status).toBe(404);
        expect((await response.json()).error.code).toBe('not_found');
      }
    });
  });
});
