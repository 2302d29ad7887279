// The RPC answers that @agent-status/domain types by hand (database.ts: what `supabase gen types` cannot
// know — the shape of a json answer, the `returns table` columns that may be null, agent_events.snapshot)
// against the real stack with the real supabase-js: every key the type names is in the answer and no
// other, and the columns typed nullable are null where the SQL says so. A change to the SQL that the
// types do not follow fails here. Each list of keys is checked against its type by the compiler.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type {
  AgentOverviewRow,
  AgentSettings,
  AgentStatusRow,
  AvailabilityBucket,
  BadgeState,
  CommandAnswer,
  AgentMetricSeries,
  CrashLogLine,
  Database,
  FleetMetrics,
  MetricSeries,
  MetricsAgent,
  MetricsCustom,
  MetricsSnapshot,
  TaggedAgent,
} from '@agent-status/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiKeys, createUser, databases, startTestStack, type RunningStack } from '../support/stack.ts';

const OPERATOR = { email: 'operator@example.com', password: 'operator-password-1', role: 'operator' };
const AGENT = 'Answers Agent';

/**
 * Every key of T, sorted. The second argument exists only when a key of T is missing from the list,
 * so a list that leaves one out does not compile (and one that names another is refused by `keyof T`).
 */
function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K,
    ..._missing: Exclude<keyof T, K[number]> extends never ? [] : [missing: Exclude<keyof T, K[number]>]
  ) => [...keys].sort();
}

const COMMAND_ANSWER = keysOf<CommandAnswer>()(['agent_name', 'desired_state', 'generation']);
const TAGGED_AGENT = keysOf<TaggedAgent>()(['agent_name', 'tags']);
const AGENT_SETTINGS = keysOf<AgentSettings>()([
  'id',
  'agent_name',
  'description',
  'heartbeat_interval_seconds',
  'offline_after_seconds',
  'effective_offline_after_seconds',
]);
const METRICS_AGENT = keysOf<MetricsAgent>()([
  'agent_name',
  'state',
  'up',
  'health',
  'last_heartbeat_seconds',
  'desired_running',
  'pending',
  'errors_total',
  'restarts_total',
  'offline_total',
]);
const METRICS_SNAPSHOT = keysOf<MetricsSnapshot>()(['agents', 'custom']);
const METRICS_CUSTOM = keysOf<MetricsCustom>()(['agent_name', 'metric', 'kind', 'value']);
const AGENT_METRIC_SERIES = keysOf<AgentMetricSeries>()([
  'agent_name',
  'minutes',
  'bucket_seconds',
  'server_time',
  'metrics',
]);
const METRIC_SERIES = keysOf<MetricSeries>()(['metric', 'kind', 'value', 'updated_at', 'points']);
const FLEET_METRICS = keysOf<FleetMetrics>()(['metrics', 'values']);
const BADGE_STATE = keysOf<BadgeState>()(['agent_name', 'state', 'up', 'total']);
const BUCKET = keysOf<AvailabilityBucket>()([
  'bucket_start',
  'bucket_end',
  'state',
  'running',
  'warning',
  'error',
  'offline',
  'stopped',
  'scheduled_off',
  'unknown',
]);
const BUCKET_STATES: AvailabilityBucket['state'][] = [
  'running',
  'warning',
  'error',
  'offline',
  'stopped',
  'scheduled_off',
  'unknown',
];

describe.each(databases)('RPC answers match their types ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let service: SupabaseClient<Database>;
  let operator: SupabaseClient<Database>;
  let agentId: string;

  const typedClient = (key: string) =>
    createClient<Database>(stack.url, key, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never },
    });
  /** The answer of a call that must succeed. */
  const answer = <T>(response: { data: T; error: null } | { data: null; error: { message: string } }): T => {
    if (response.error) throw new Error(response.error.message);
    return response.data;
  };

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    // The alert channel below points at this machine (its dispatcher never sends: it is disabled).
    await stack.db.query('update alert_settings set allow_private_urls = true');
    service = typedClient(apiKeys(stack).secret);
    await createUser(stack, OPERATOR);
    operator = typedClient(apiKeys(stack).publishable);
    const signedIn = await operator.auth.signInWithPassword(OPERATOR);
    expect(signedIn.error).toBeNull();
    const [created] = answer(await operator.rpc('create_agent', { p_agent_name: AGENT }));
    agentId = created.id;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('agent_report: last_command, instance_id and log_watch_seconds are null before any command, instance or watch', async () => {
    const [row] = answer(await service.rpc('agent_report', { p_kind: 'started', p_agent_name: AGENT }));
    expect(row.last_command).toBeNull();
    expect(row.instance_id).toBeNull();
    expect(row.log_watch_seconds).toBeNull();
  });

  it('fleet_overview: an array of agent_overview rows, exactly its columns', async () => {
    const fleet = answer(await operator.rpc('fleet_overview', undefined, { get: true }));
    const viewRead = await operator.from('agent_overview').select('*').eq('id', agentId).single();
    const view = answer(viewRead);
    const row = fleet.find((agent: AgentOverviewRow) => agent.id === agentId);
    expect(Object.keys(row ?? {}).sort()).toEqual(Object.keys(view).sort());
    expect(row?.agent_name).toBe(AGENT);
  });

  it("fleet_overview_compact: the view's columns once, each agent an array of their values", async () => {
    const compact = answer(await operator.rpc('fleet_overview_compact', undefined, { get: true }));
    const view = answer(await operator.from('agent_overview').select('*').eq('id', agentId).single());
    expect([...compact.columns].sort()).toEqual(
      Object.keys(view ?? {})
        .filter((c) => c !== 'server_time')
        .sort(),
    );
    expect(typeof compact.server_time).toBe('string');
    const row = compact.rows.find((values) => values[compact.columns.indexOf('id')] === agentId);
    expect(row).toHaveLength(compact.columns.length);
    expect(row?.[compact.columns.indexOf('agent_name')]).toBe(AGENT);
    expect(Date.parse(compact.server_time)).toBeGreaterThan(0);
  });

  it('fleet_overview_compact with p_columns (GET, as the dashboard asks): those columns only; an unknown one is refused', async () => {
    const compact = answer(
      await operator.rpc('fleet_overview_compact', { p_columns: ['health', 'id', 'agent_name'] }, { get: true }),
    );
    expect(compact.columns).toEqual(['id', 'agent_name', 'health']);
    expect(compact.rows.find((values) => values[0] === agentId)).toEqual([agentId, AGENT, expect.any(Number)]);
    const refused = await operator.rpc('fleet_overview_compact', { p_columns: ['id', 'helth'] }, { get: true });
    expect(refused.error).toMatchObject({
      code: '22023',
      message: 'fleet_overview_compact: agent_overview has no column helth',
    });
  });

  it('fleet_availability: per agent id, six numbers (shares may be null)', async () => {
    const availability = answer(await operator.rpc('fleet_availability', undefined, { get: true }));
    const mine = availability[agentId];
    expect(mine).toHaveLength(6);
    for (const [i, value] of mine.entries()) {
      if (i % 2 === 0 && value === null) continue; // no time counted yet
      expect(typeof value).toBe('number');
    }
  });

  it('agent_availability_bar: buckets with their states', async () => {
    const buckets = answer(
      await operator.rpc('agent_availability_bar', { p_agent_id: agentId, p_window: '24h' }, { get: true }),
    );
    expect(buckets.length).toBeGreaterThan(0);
    for (const bucket of buckets) {
      expect(Object.keys(bucket).sort()).toEqual(BUCKET);
      expect(BUCKET_STATES).toContain(bucket.state);
    }
  });

  it('command_agents_json: one command answer per agent', async () => {
    const answers = answer(
      await operator.rpc('command_agents_json', { p_command: 'start', p_agent_names: [AGENT, 'Content Collector'] }),
    );
    expect(answers.map((a) => a.agent_name)).toEqual(['Answers Agent', 'Content Collector']);
    for (const one of answers) {
      expect(Object.keys(one).sort()).toEqual(COMMAND_ANSWER);
      expect(typeof one.generation).toBe('number');
    }
  });

  it('tag_agents: every named agent with its tags', async () => {
    const tagged = answer(await operator.rpc('tag_agents', { p_agent_names: [AGENT], p_add: ['answers'] }));
    expect(tagged).toEqual([{ agent_name: AGENT, tags: ['answers'] }]);
    expect(Object.keys(tagged[0]).sort()).toEqual(TAGGED_AGENT);
  });

  it('update_agent: description and offline_after_seconds are null when unset', async () => {
    const [settings] = answer(
      await operator.rpc('update_agent', { p_agent_name: AGENT, p_changes: { description: null } }),
    );
    expect(Object.keys(settings).sort()).toEqual(AGENT_SETTINGS);
    expect(settings.description).toBeNull();
    expect(settings.offline_after_seconds).toBeNull();
    expect(typeof settings.effective_offline_after_seconds).toBe('number');
  });

  it('mute_agent: takes null to unmute and answers muted_until (null when not muted)', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(Date.parse(answer(await operator.rpc('mute_agent', { p_agent_name: AGENT, p_until: until })) ?? '')).toBe(
      Date.parse(until),
    );
    expect(answer(await operator.rpc('mute_agent', { p_agent_name: AGENT, p_until: null }))).toBeNull();
  });

  it('issue_badge_key and badge_state: no agent and no label are null; both states have the same keys', async () => {
    const [all] = answer(await operator.rpc('issue_badge_key', {}));
    expect(all.agent_name).toBeNull();
    expect(all.label).toBeNull();
    const [one] = answer(await operator.rpc('issue_badge_key', { p_agent_name: AGENT, p_label: 'readme' }));
    expect(one.agent_name).toBe(AGENT);
    const fleet = answer(await service.rpc('badge_state', { p_key: all.key }));
    const agent = answer(await service.rpc('badge_state', { p_key: one.key }));
    expect(Object.keys(fleet ?? {}).sort()).toEqual(BADGE_STATE);
    expect(fleet).toMatchObject({ agent_name: null, state: null });
    expect(Object.keys(agent ?? {}).sort()).toEqual(BADGE_STATE);
    expect(agent).toMatchObject({ agent_name: AGENT, total: 1 });
    expect(answer(await service.rpc('badge_state', { p_key: 'asb_unknown' }))).toBeNull();
  });

  it('issue_metrics_token and metrics_snapshot: no label is null; the snapshot is { agents: [...], custom: [...] }', async () => {
    answer(
      await service.rpc('agent_report', {
        p_kind: 'heartbeat',
        p_agent_name: AGENT,
        p_info: { metrics: { gauges: { queue_length: 2.5 }, counters: { articles: 3 } } },
      }),
    );
    const [issued] = answer(await operator.rpc('issue_metrics_token', {}));
    expect(issued.label).toBeNull();
    const snapshot = answer(await service.rpc('metrics_snapshot', { p_token: issued.token }));
    expect(Object.keys(snapshot).sort()).toEqual(METRICS_SNAPSHOT);
    const mine = snapshot.agents.find((agent) => agent.agent_name === AGENT);
    expect(Object.keys(mine ?? {}).sort()).toEqual(METRICS_AGENT);
    const custom = snapshot.custom.filter((metric) => metric.agent_name === AGENT);
    expect(custom.map((metric) => Object.keys(metric).sort())).toEqual([METRICS_CUSTOM, METRICS_CUSTOM]);
    expect(custom.map((metric) => [metric.metric, metric.kind, metric.value])).toEqual([
      ['articles', 'counter', 3],
      ['queue_length', 'gauge', 2.5],
    ]);
  });

  it('agent_metric_series and fleet_metrics: one JSON value each, with the keys their types name', async () => {
    const series = answer(await operator.rpc('agent_metric_series', { p_agent_name: AGENT, p_minutes: 60 }));
    expect(Object.keys(series).sort()).toEqual(AGENT_METRIC_SERIES);
    expect(series.metrics.map((metric) => Object.keys(metric).sort())).toEqual([METRIC_SERIES, METRIC_SERIES]);
    const [point] = series.metrics[0].points;
    expect(point).toEqual([expect.any(Number), 3]);
    const fleet = answer(await operator.rpc('fleet_metrics', { p_metrics: ['articles'] }));
    expect(Object.keys(fleet).sort()).toEqual(FLEET_METRICS);
    expect(fleet.values[agentId]).toEqual({ articles: 3 });
    expect(fleet.metrics.map((metric) => Object.keys(metric).sort())).toEqual([
      ['agents', 'metric'],
      ['agents', 'metric'],
    ]);
  });

  it('alert_channel_summaries: agent_names and repeat_every_minutes are null when unset', async () => {
    answer(
      await operator
        .from('alert_channels')
        .insert({ name: 'answers', kind: 'webhook', url: 'http://127.0.0.1:9/hook', enabled: false }),
    );
    const summaries = answer(await operator.rpc('alert_channel_summaries'));
    const channel = summaries.find((summary) => summary.name === 'answers');
    expect(channel).toMatchObject({ agent_names: null, repeat_every_minutes: null });
  });

  it('publish_agent_logs: watch_seconds is null while nobody watches; watch_agent_logs answers the watch', async () => {
    const batch = { instance: 'i', lines: [] };
    const [idle] = answer(await service.rpc('publish_agent_logs', { p_batch: batch, p_agent_name: AGENT }));
    expect(idle).toEqual({ watch_seconds: null, backlog_request: 0 });
    const [watch] = answer(await operator.rpc('watch_agent_logs', { p_agent_id: agentId }));
    expect(watch).toEqual({ agent_id: agentId, topic: `agent-logs:${agentId}`, watch_seconds: 30, backlog_request: 1 });
    const [watched] = answer(await service.rpc('publish_agent_logs', { p_batch: batch, p_agent_name: AGENT }));
    expect(watched.watch_seconds).toBeGreaterThan(0);
  });

  it("agent_events.log_lines: an error's last lines, each { at, level, text, fields? }; null for other events", async () => {
    const lines = [
      { at: '2026-12-06T10:00:00.000Z', level: 'warn' as const, text: 'slow', fields: { n: 1 } },
      { at: '2026-12-06T10:00:01.000Z', level: 'error' as const, text: 'down' },
    ];
    answer(
      await service.rpc('agent_report', {
        p_kind: 'error',
        p_agent_name: AGENT,
        p_message: 'x',
        p_info: { log_lines: lines },
      }),
    );
    const events = answer(
      await operator
        .from('agent_events')
        .select('kind, log_lines')
        .eq('agent_id', agentId)
        .order('id', { ascending: false }),
    );
    const error = events.find((event) => event.kind === 'error');
    expect(error?.log_lines).toEqual(lines);
    const keys = keysOf<CrashLogLine>()(['at', 'level', 'text', 'fields']);
    expect(Object.keys(error?.log_lines?.[0] ?? {}).sort()).toEqual(keys);
    expect(events.filter((event) => event.kind !== 'error').every((event) => event.log_lines === null)).toBe(true);
  });

  it("agent_events.snapshot: the agent's agent_status row", async () => {
    const events = answer(
      await operator
        .from('agent_events')
        .select('snapshot')
        .eq('agent_id', agentId)
        .not('snapshot', 'is', null)
        .limit(1),
    );
    const rowRead = await service.from('agent_status').select('*').eq('id', agentId).single();
    const row = answer(rowRead);
    const snapshot: Partial<AgentStatusRow> = events[0].snapshot ?? {};
    expect(Object.keys(snapshot).sort()).toEqual(Object.keys(row).sort());
  });
});
