// Database time per heartbeat on PostgreSQL 15: what a hosted project's database CPU pays for each
// heartbeat of every agent. pg_stat_statements' mean execution time of the statement the API runs for
// agent_report (sent through the stack's REST API, as an agent sends it) against a raw single-row
// UPDATE of agent_status, in rounds within one run. One request at a time, so the figure is the
// statement's own cost and not a queue. On PGlite the bench starts a throw-away PostgreSQL 15 for this
// (scripts/pg15.sh), since PGlite has no pg_stat_statements.
//
// The two are compared under the same conditions: call by call, a heartbeat, then the raw UPDATE of the
// same agent, then the worker's heartbeat. A statement that reaches a backend which sat idle while the
// request went through HTTP runs about twice as long on this machine class as the same statement sent
// back to back (measured in docs/performance.md), so a raw UPDATE timed in a tight loop of its own is a
// best case no heartbeat can have. That tight loop is still measured, as information.
import { startTestStack } from '@agent-status/tests/support/stack.ts';
import { ensureFleet, type BenchAgent, type RunningStack } from './fleet.ts';
import { startPg15 } from './pg15.ts';
import { round } from './stats.ts';
import { atMost, figure, notMeasured, type Figure } from './table.ts';

export interface DbHeartbeatOptions {
  rounds: number;
  /** Calls of each kind per round. */
  calls: number;
  /** Agents the heartbeats go round (each token's last_used_at is refreshed at most once a minute). */
  agents: number;
  log: (line: string) => void;
}

const RAW_UPDATE = 'update public.agent_status set last_heartbeat = now() where id = $1';

/** The SDK worker's steady heartbeat: it also carries the generation it runs and its instance's info. */
const workerInfo = (agent: BenchAgent) => ({
  instance_id: `bench-${agent.index}`,
  host: 'bench',
  pid: 1000 + agent.index,
  version: '0.1.0',
  heartbeat_interval_seconds: 10,
});

type Body = (agent: BenchAgent) => Record<string, unknown>;
const PLAIN: Body = (agent) => ({ p_kind: 'heartbeat', p_token: agent.token });
/** The worker's heartbeat, acknowledging the generation it already acknowledged (no transition). */
const worker =
  (observed: Map<string, string>): Body =>
  (agent) => ({
    p_kind: 'heartbeat',
    p_token: agent.token,
    p_observed_generation: Number(observed.get(agent.id) ?? 0),
    p_info: workerInfo(agent),
  });

async function heartbeats(stack: RunningStack, agents: BenchAgent[], calls: number, body: Body) {
  const url = `${stack.url}/rest/v1/rpc/agent_report`;
  const key = stack.publishableKey ?? stack.anonKey;
  for (let i = 0; i < calls; i++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { apikey: key, 'content-type': 'application/json' },
      body: JSON.stringify(body(agents[i % agents.length])),
    });
    if (!response.ok) throw new Error(`agent_report answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
}

async function rawUpdate(stack: RunningStack, agent: BenchAgent) {
  await stack.db.query(RAW_UPDATE, [agent.id]);
}

async function rawUpdates(stack: RunningStack, agents: BenchAgent[], calls: number) {
  for (let i = 0; i < calls; i++) await rawUpdate(stack, agents[i % agents.length]);
}

/** Call by call: a plain heartbeat, the raw UPDATE of the same agent, the worker's heartbeat. */
async function interleaved(stack: RunningStack, agents: BenchAgent[], calls: number, plain: Body, worker: Body) {
  for (let i = 0; i < calls; i++) {
    const agent = agents[i % agents.length];
    await heartbeats(stack, [agent], 1, plain);
    await rawUpdate(stack, agent);
    await heartbeats(stack, [agent], 1, worker);
  }
}

/** Mean execution time (µs) and calls of this database's top-level statements whose text matches. */
async function statementTime(stack: RunningStack, where: string, param: string) {
  const { rows } = await stack.db.query<{ mean_us: number; calls: number }>(
    `select coalesce(sum(total_exec_time) / nullif(sum(calls), 0), 0)::float8 * 1000 as mean_us, coalesce(sum(calls), 0)::int as calls
       from pg_stat_statements
      where toplevel and dbid = (select oid from pg_database where datname = current_database()) and ${where}`,
    [param],
  );
  return rows[0];
}

async function measureOn(stack: RunningStack, o: DbHeartbeatOptions) {
  await stack.db.query('create extension if not exists pg_stat_statements');
  await stack.db.query('select count(*) from pg_stat_statements'); // fails unless preloaded
  const agents = (await ensureFleet(stack, 1000)).slice(0, o.agents);
  const { rows } = await stack.db.query<{ id: string; g: string }>(
    'select id, observed_generation::text as g from public.agent_status where id = any($1::uuid[])',
    [agents.map((a) => a.id)],
  );
  const WORKER = worker(new Map(rows.map((r) => [r.id, r.g])));
  // Warm-up: plans cached, every token's last_used_at fresh (written at most once a minute).
  await heartbeats(stack, agents, Math.max(agents.length, o.calls / 4), PLAIN);
  await heartbeats(stack, agents, Math.max(agents.length, o.calls / 4), WORKER);
  await rawUpdates(stack, agents, o.calls / 4);
  const rounds: { plainUs: number; workerUs: number; rawUs: number; rawBackToBackUs: number; calls: number[] }[] = [];
  for (let i = 1; i <= o.rounds; i++) {
    await stack.db.query('select pg_stat_statements_reset()');
    await interleaved(stack, agents, o.calls, PLAIN, WORKER);
    const plain = await statementTime(stack, `query like '%agent_report%' and query not like $1`, '%p_info%');
    const worker = await statementTime(stack, `query like '%agent_report%' and query like $1`, '%p_info%');
    const raw = await statementTime(stack, 'query = $1', RAW_UPDATE);
    await stack.db.query('select pg_stat_statements_reset()');
    await rawUpdates(stack, agents, o.calls);
    const backToBack = await statementTime(stack, 'query = $1', RAW_UPDATE);
    rounds.push({
      plainUs: plain.mean_us,
      workerUs: worker.mean_us,
      rawUs: raw.mean_us,
      rawBackToBackUs: backToBack.mean_us,
      calls: [plain.calls, worker.calls, raw.calls, backToBack.calls],
    });
    o.log(
      `  database time per heartbeat, round ${i}: agent_report ${round(plain.mean_us)} µs (${plain.calls} calls), with the worker's info ${round(worker.mean_us)} µs, raw UPDATE ${round(raw.mean_us)} µs (${raw.calls}); raw UPDATE back to back ${round(backToBack.mean_us)} µs (${backToBack.calls})`,
    );
  }
  return rounds;
}

export async function measureDbHeartbeat(
  stack: RunningStack,
  o: DbHeartbeatOptions,
): Promise<{ figures: Figure[]; details: unknown }> {
  const name = 'database time per heartbeat: agent_report / raw single-row UPDATE';
  let rounds: Awaited<ReturnType<typeof measureOn>>;
  let where: string;
  if (stack.db.kind === 'postgres') {
    rounds = await measureOn(stack, o);
    where = 'the bench database (DATABASE_URL)';
  } else {
    let pg: Awaited<ReturnType<typeof startPg15>>;
    try {
      pg = await startPg15();
    } catch (error) {
      return {
        figures: [
          notMeasured(name, '×', `needs PostgreSQL 15 (scripts/pg15.sh): ${(error as Error).message.split('\n')[0]}`, {
            goal: atMost(2, '×'),
          }),
        ],
        details: null,
      };
    }
    try {
      const own = await startTestStack({ databaseUrl: pg.url });
      try {
        rounds = await measureOn(own, o);
      } finally {
        await own.stop();
      }
    } finally {
      await pg.stop();
    }
    where = 'a throw-away PostgreSQL 15 (scripts/pg15.sh), the bench itself on PGlite';
  }
  const how = `pg_stat_statements mean execution time, ${o.rounds} rounds of ${o.calls} calls each, one at a time, over ${o.agents} agents; ${where}`;
  return {
    figures: [
      figure(
        name,
        rounds.map((r) => r.plainUs / r.rawUs),
        '×',
        {
          goal: atMost(2, '×'),
          kind: 'ratio',
          note: `{p_kind: 'heartbeat', p_token} through /rest/v1/rpc, as agents send it, call by call with the raw UPDATE; ${how}`,
        },
      ),
      figure(
        'database time per heartbeat: agent_report mean',
        rounds.map((r) => r.plainUs),
        'µs',
      ),
      figure(
        "database time per heartbeat: agent_report with the SDK worker's info",
        rounds.map((r) => r.workerUs),
        'µs',
        { note: `ratio to the raw UPDATE ${rounds.map((r) => round(r.workerUs / r.rawUs, 2)).join(', ')}` },
      ),
      figure(
        'database time: raw single-row UPDATE of agent_status, mean',
        rounds.map((r) => r.rawUs),
        'µs',
      ),
      figure(
        'database time: raw single-row UPDATE, sent back to back (a best case no heartbeat has)',
        rounds.map((r) => r.rawBackToBackUs),
        'µs',
        {
          note: `agent_report / this: ${rounds.map((r) => round(r.plainUs / r.rawBackToBackUs, 2)).join(', ')} (the ratio before the bench compared call by call)`,
        },
      ),
    ],
    details: { rounds },
  };
}
