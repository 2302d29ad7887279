// A fake Supabase for component tests: msw answers REST, Auth and Functions calls made by the
// real supabase-js client, so the dashboard code under test is exactly what ships.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { AgentEventRow, AgentOverviewRow, ScheduleOverviewRow } from '@agent-status/domain';

export const SUPABASE_URL = 'http://supabase.test';
export const ANON_KEY = 'anon-key-for-tests';
// Realtime is refused by the client's transport (test/refused-socket.ts), not here.
export const server = setupServer();

export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

export function sessionFor(email: string, role: 'operator' | 'viewer') {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const user = {
    id: `user-${role}`,
    aud: 'authenticated',
    role: 'authenticated',
    email,
    app_metadata: { role },
    user_metadata: {},
    created_at: new Date().toISOString(),
  };
  return {
    access_token: fakeJwt({ sub: user.id, email, role: 'authenticated', app_metadata: { role }, exp }),
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: exp,
    refresh_token: `refresh-${role}`,
    user,
  };
}

let ids = 0;
export function agentRow(name: string, overrides: Partial<AgentOverviewRow> = {}): AgentOverviewRow {
  const now = new Date().toISOString();
  return {
    id: overrides.id ?? `00000000-0000-0000-0000-${String(++ids).padStart(12, '0')}`,
    agent_name: name,
    status: 'running',
    health: 100,
    last_heartbeat: now,
    last_error: null,
    last_activity: 'working',
    updated_at: now,
    last_activity_at: now,
    description: null,
    last_error_at: null,
    last_warning: null,
    last_warning_at: null,
    offline: false,
    started_at: now,
    observed_generation: 1,
    heartbeat_interval_seconds: 10,
    offline_after_seconds: null,
    host: 'host-1',
    pid: 4242,
    version: '1.0.0',
    created_at: now,
    errors_total: 0,
    starts_total: 1,
    offline_total: 0,
    muted_until: null,
    tags: [],
    instance_id: null,
    duplicate_instance_seen_at: null,
    desired_state: 'running',
    generation: 1,
    last_command: 'start',
    requested_by_email: 'op@example.com',
    requested_at: now,
    pending: false,
    effective_offline_after_seconds: 30,
    server_time: now,
    ...overrides,
  };
}

/** Handlers for a signed-in dashboard; `overview` is read on every request so tests can change it. */
export function dashboardHandlers(state: {
  overview: AgentOverviewRow[];
  events?: AgentEventRow[];
  /** Custom metrics (agent_metric_series' "metrics") by agent name; none unless given. */
  metrics?: Record<string, unknown[]>;
  schedules?: ScheduleOverviewRow[];
}) {
  return [
    // custom metrics: the open agent's tiles, the fleet's metric names for table columns
    http.get(`${SUPABASE_URL}/rest/v1/rpc/agent_metric_series`, ({ request }) => {
      const url = new URL(request.url);
      const name = url.searchParams.get('p_agent_name') ?? '';
      return HttpResponse.json({
        agent_name: name,
        minutes: Number(url.searchParams.get('p_minutes') ?? 60),
        bucket_seconds: 60,
        server_time: new Date().toISOString(),
        metrics: state.metrics?.[name] ?? [],
      });
    }),
    http.post(`${SUPABASE_URL}/rest/v1/rpc/fleet_metrics`, () => HttpResponse.json({ metrics: [], values: {} })),
    // The fleet as a database before fleet_overview_compact() serves it (PGRST202, then fleet_overview()),
    // so a test's own fleet_overview handler decides; the compact answer's decoding is
    // client/test/compact.test.ts's, the real one the integration and e2e tests'.
    http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview_compact`, () =>
      HttpResponse.json({ code: 'PGRST202', message: 'Could not find the function' }, { status: 404 }),
    ),
    http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview`, () => HttpResponse.json(state.overview)),
    http.get(`${SUPABASE_URL}/rest/v1/agent_overview`, () => HttpResponse.json(state.overview)),
    http.get(`${SUPABASE_URL}/rest/v1/agent_events`, () => HttpResponse.json(state.events ?? [])),
    // availability: none counted yet
    http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_availability`, () => HttpResponse.json({})),
    // schedules: none unless the test gives some
    http.get(`${SUPABASE_URL}/rest/v1/agent_schedule_overview`, () => HttpResponse.json(state.schedules ?? [])),
    http.get(`${SUPABASE_URL}/rest/v1/rpc/schedule_transitions`, () => HttpResponse.json([])),
    http.get(`${SUPABASE_URL}/auth/v1/user`, () => HttpResponse.json(sessionFor('x@example.com', 'operator').user)),
  ];
}

export function signInHandler(role: 'operator' | 'viewer') {
  return http.post(`${SUPABASE_URL}/auth/v1/token`, () => HttpResponse.json(sessionFor(`${role}@example.com`, role)));
}
