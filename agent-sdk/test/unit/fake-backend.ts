// An msw stand-in for the agent_report RPC that behaves like the SQL function (status rules, errors,
// observed generation), so the SDK's wire behaviour can be tested without a server.
import { http, HttpResponse } from 'msw';

export const URL_BASE = 'http://backend.test';
export const ANON_KEY = 'anon-key';
export const SERVICE_KEY = 'service-key';

export interface RecordedReport {
  kind: string;
  args: Record<string, unknown>;
  headers: { apikey: string | null; authorization: string | null };
}

export interface FakeAgent {
  id: string;
  name: string;
  token: string;
  status: string;
  health: number;
  desired_state: 'running' | 'stopped';
  generation: number;
  last_command: 'start' | 'stop' | 'restart' | null;
  observed_generation: number;
  last_error: string | null;
}

const HEALTH_DEFAULTS: Record<string, number> = { started: 100, warning: 75, error: 30, stopped: 0 };
const STATUS_OF: Record<string, string> = {
  started: 'running',
  warning: 'warning',
  error: 'error',
  stopped: 'stopped',
};

export function createFakeBackend() {
  const agents = new Map<string, FakeAgent>();
  const reports: RecordedReport[] = [];
  let outage: 'network' | 500 | null = null;
  /** When set, every report carrying p_info.metrics is refused as agent_report refuses bad metrics. */
  let metricsRefusal: string | null = null;

  function addAgent(name: string, desired: 'running' | 'stopped' = 'stopped'): FakeAgent {
    const agent: FakeAgent = {
      id: `id-${agents.size + 1}`,
      name,
      token: `token-${name}`,
      status: 'stopped',
      health: 0,
      desired_state: desired,
      generation: desired === 'running' ? 1 : 0,
      last_command: desired === 'running' ? 'start' : null,
      observed_generation: 0,
      last_error: null,
    };
    agents.set(name, agent);
    return agent;
  }

  function command(name: string, cmd: 'start' | 'stop' | 'restart') {
    const agent = agents.get(name)!;
    const target = cmd === 'stop' ? 'stopped' : 'running';
    if (cmd === 'restart' || agent.desired_state !== target) agent.generation += 1;
    agent.desired_state = target;
    agent.last_command = cmd;
  }

  const pgError = (status: number, code: string, message: string) =>
    HttpResponse.json({ code, message, details: null, hint: null }, { status });

  const handler = http.post(`${URL_BASE}/rest/v1/rpc/agent_report`, async ({ request }) => {
    if (outage === 'network') return HttpResponse.error();
    if (outage === 500) return pgError(503, 'PGRST000', 'database unavailable');
    const args = (await request.json()) as Record<string, unknown>;
    reports.push({
      kind: String(args.p_kind),
      args,
      headers: { apikey: request.headers.get('apikey'), authorization: request.headers.get('authorization') },
    });
    if (metricsRefusal && (args.p_info as { metrics?: unknown } | undefined)?.metrics)
      return pgError(422, 'PT422', metricsRefusal);
    const health = args.p_health as number | undefined;
    if (health !== undefined && (health < 0 || health > 100)) {
      return pgError(400, '22023', `health must be between 0 and 100, got ${health}`);
    }
    let agent: FakeAgent | undefined;
    if (args.p_token !== undefined) {
      agent = [...agents.values()].find((a) => a.token === args.p_token);
      if (!agent) return pgError(401, 'PT401', 'invalid or revoked agent token');
      if (args.p_agent_name !== undefined && args.p_agent_name !== agent.name) {
        return pgError(403, 'PT403', `this token belongs to agent "${agent.name}", not "${args.p_agent_name}"`);
      }
    } else if (request.headers.get('authorization') === `Bearer ${SERVICE_KEY}`) {
      agent = agents.get(String(args.p_agent_name));
      if (!agent) return pgError(404, 'PT404', `unknown agent "${args.p_agent_name}"`);
    } else {
      return pgError(401, 'PT401', 'an agent token is required');
    }
    const kind = String(args.p_kind);
    if (STATUS_OF[kind]) {
      agent.status = STATUS_OF[kind];
      agent.health = health ?? HEALTH_DEFAULTS[kind];
    } else if (health !== undefined) agent.health = health;
    // A worker's heartbeat or activity restates what it is doing: a status changed behind its back heals.
    const restated = (args.p_info as { state?: string } | undefined)?.state;
    if ((kind === 'heartbeat' || kind === 'activity') && restated && restated !== agent.status) {
      agent.status = restated;
      agent.health = health ?? HEALTH_DEFAULTS[Object.keys(STATUS_OF).find((k) => STATUS_OF[k] === restated)!];
    }
    if (kind === 'error') agent.last_error = String(args.p_message ?? '');
    const observed = Number(args.p_observed_generation ?? 0);
    agent.observed_generation = Math.max(agent.observed_generation, Math.min(observed, agent.generation));
    return HttpResponse.json([
      {
        agent_id: agent.id,
        agent_name: agent.name,
        desired_state: agent.desired_state,
        generation: agent.generation,
        last_command: agent.last_command,
        observed_generation: agent.observed_generation,
      },
    ]);
  });

  return {
    handler,
    agents,
    reports,
    addAgent,
    command,
    setOutage(value: 'network' | 500 | null) {
      outage = value;
    },
    refuseMetrics(message: string | null) {
      metricsRefusal = message;
    },
    /** p_info.metrics of every recorded report (undefined where none rode along). */
    metrics: () => reports.map((r) => (r.args.p_info as { metrics?: unknown } | undefined)?.metrics),
    kinds: () => reports.map((r) => r.kind),
  };
}

/** Polls a condition every 5 ms; fails with `what` after timeoutMs. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
