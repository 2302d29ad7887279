// Crash consistency of the embedded database: the stack runs in its own process on a
// persisted PGlite data directory under a steady load of heartbeats and a stream of commands, and is
// killed with SIGKILL at random moments, then started again on the same port and directory. At the end the
// directory is opened once more and checked:
//   - the stack opened after every kill;
//   - every command it answered 200 for is in the history (a `command` event with its generation) and the
//     agent's desired generation is at least that;
//   - per agent, at least as many command events as commands answered 200, and the generations of its
//     command events run 1, 2, 3 … up to its desired generation without a hole (each command is one
//     transaction; one that was in flight at a kill is either wholly there or wholly absent);
//   - per agent, every status transition starts where the previous one ended;
//   - every agent's last_heartbeat is no older than the last heartbeat it was answered 200 for.
// Identity values may jump after a crash (Postgres logs sequence values ahead): gaps in event ids are
// counted, not treated as loss.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack } from '@agent-status/stack';
import { provisionAgents, workerNames } from './provision.ts';
import { startStackChild, type StackChild } from './stack-child.ts';
import { freePort } from '../free-port.ts';

export interface CrashOptions {
  kills: number;
  agents: number;
  /** Each agent reports once per (agents / heartbeatsPerSecond) seconds. */
  heartbeatsPerSecond: number;
  commandsPerSecond: number;
  /** How long the stack runs between a (re)start and the next kill: uniformly random in this range. */
  uptimeMs: [number, number];
  log?: (line: string) => void;
  /** Deterministic runs: a seed for the kill moments and the commands. */
  seed?: number;
}

export interface CrashReport {
  kills: number;
  restartMs: number[];
  heartbeatsAcked: number;
  heartbeatsFailed: number;
  commandsAcked: number;
  commandsFailed: number;
  commandEvents: number;
  eventIdGaps: number;
  problems: string[];
}

interface AckedCommand {
  agent: string;
  generation: number;
}

export async function crashConsistencyScenario(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => undefined);
  const random = mulberry32(options.seed ?? Date.now());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'crash-consistency-'));
  const names = workerNames('Crash Agent', options.agents);
  const problems: string[] = [];
  const report: CrashReport = {
    kills: 0,
    restartMs: [],
    heartbeatsAcked: 0,
    heartbeatsFailed: 0,
    commandsAcked: 0,
    commandsFailed: 0,
    commandEvents: 0,
    eventIdGaps: 0,
    problems,
  };
  let stack: StackChild | undefined;
  try {
    // Agents and their tokens, once, in the directory the stack process will use.
    const setup = await startStack({ port: 0, dataDir: path.join(dataDir, 'pglite'), log: () => undefined });
    const tokens = await provisionAgents(setup.db, names);
    await setup.stop();

    const port = await freePort();
    stack = await startStackChild({ dataDir: path.join(dataDir, 'pglite'), port });
    const { url, publishableKey, secretKey } = stack;

    const lastAckedHeartbeat = new Map<string, number>();
    const acked: AckedCommand[] = [];
    let loading = true;

    // Heartbeats: each agent on its own slot of the period, never two of one agent in flight.
    const periodMs = (options.agents / options.heartbeatsPerSecond) * 1000;
    const heartbeats = names.map(async (name, i) => {
      await sleep((periodMs * i) / options.agents);
      while (loading) {
        const started = Date.now();
        const ok = await post(url, publishableKey, 'agent_report', { p_kind: 'heartbeat', p_token: tokens.get(name) });
        if (ok) {
          report.heartbeatsAcked++;
          lastAckedHeartbeat.set(name, started);
        } else report.heartbeatsFailed++;
        await sleep(Math.max(0, periodMs - (Date.now() - started)));
      }
    });
    // Commands: a random agent, a random command, at a steady pace; several may be in flight.
    const commands = (async () => {
      const inFlight = new Set<Promise<void>>();
      while (loading) {
        const agent = names[Math.floor(random() * names.length)];
        const command = (['start', 'stop', 'restart'] as const)[Math.floor(random() * 3)];
        const sent = (async () => {
          const answer = await postJson<{ generation: number }[]>(url, secretKey, 'command_agents', {
            p_command: command,
            p_agent_name: agent,
          });
          if (answer?.[0]) {
            report.commandsAcked++;
            acked.push({ agent, generation: Number(answer[0].generation) });
          } else report.commandsFailed++;
        })();
        inFlight.add(sent);
        void sent.finally(() => inFlight.delete(sent));
        await sleep(1000 / options.commandsPerSecond);
      }
      await Promise.all(inFlight);
    })();

    for (let k = 1; k <= options.kills; k++) {
      const [min, max] = options.uptimeMs;
      await sleep(min + random() * (max - min));
      await stack.kill();
      report.kills = k;
      const started = Date.now();
      try {
        stack = await startStackChild({ dataDir: path.join(dataDir, 'pglite'), port });
      } catch (error) {
        problems.push(`kill ${k}: the stack did not open again: ${(error as Error).message}`);
        stack = undefined;
        break;
      }
      report.restartMs.push(Date.now() - started);
      log(
        `kill ${k}/${options.kills}: back in ${Date.now() - started} ms; ${report.commandsAcked} commands and ${report.heartbeatsAcked} heartbeats answered so far`,
      );
    }
    if (stack) await sleep(1_000); // load on the last start too
    loading = false;
    await Promise.all([...heartbeats, commands]);
    await stack?.stop();
    stack = undefined;
    if (problems.length > 0) return report;

    // The directory opened once more, in this process, and checked.
    const check = await startStack({ port: 0, dataDir: path.join(dataDir, 'pglite'), log: () => undefined });
    try {
      await verify(check.db, names, acked, lastAckedHeartbeat, report);
    } finally {
      await check.stop();
    }
    return report;
  } finally {
    await stack?.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function verify(
  db: { query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> },
  names: string[],
  acked: AckedCommand[],
  lastAckedHeartbeat: Map<string, number>,
  report: CrashReport,
): Promise<void> {
  const { problems } = report;
  const { rows: commandEvents } = await db.query<{ agent: string; generation: number }>(
    `select s.agent_name as agent, e.generation::int as generation from public.agent_events e
       join public.agent_status s on s.id = e.agent_id where e.kind = 'command' and s.agent_name = any($1::text[])`,
    [names],
  );
  report.commandEvents = commandEvents.length;
  const recorded = new Set(commandEvents.map((e) => `${e.agent}\u0000${e.generation}`));
  const { rows: desired } = await db.query<{ agent: string; generation: number }>(
    `select s.agent_name as agent, d.generation::int as generation from public.agent_desired_state d
       join public.agent_status s on s.id = d.agent_id where s.agent_name = any($1::text[])`,
    [names],
  );
  const desiredGeneration = new Map(desired.map((d) => [d.agent, d.generation]));
  for (const command of acked) {
    if (!recorded.has(`${command.agent}\u0000${command.generation}`))
      problems.push(
        `${command.agent}: command generation ${command.generation} was answered 200 but is not in the history`,
      );
    if ((desiredGeneration.get(command.agent) ?? 0) < command.generation)
      problems.push(
        `${command.agent}: desired generation ${desiredGeneration.get(command.agent)} < answered ${command.generation}`,
      );
  }
  // Every accepted command is one event (a command that changes nothing, e.g. a stop of a stopped agent,
  // keeps the generation); each generation the agent's desired state went through has its command.
  const byAgent = new Map<string, number[]>();
  for (const e of commandEvents) byAgent.set(e.agent, [...(byAgent.get(e.agent) ?? []), e.generation]);
  const ackedPerAgent = new Map<string, number>();
  for (const command of acked) ackedPerAgent.set(command.agent, (ackedPerAgent.get(command.agent) ?? 0) + 1);
  for (const agent of names) {
    const generations = byAgent.get(agent) ?? [];
    if (generations.length < (ackedPerAgent.get(agent) ?? 0))
      problems.push(
        `${agent}: ${ackedPerAgent.get(agent)} commands answered 200, ${generations.length} in the history`,
      );
    const distinct = [...new Set(generations.filter((g) => g > 0))].sort((a, b) => a - b);
    const expected = Array.from({ length: desiredGeneration.get(agent) ?? 0 }, (_, i) => i + 1);
    if (JSON.stringify(distinct) !== JSON.stringify(expected))
      problems.push(`${agent}: command generations ${summary(distinct)}, expected 1..${expected.length}`);
  }
  const { rows: transitions } = await db.query<{ agent: string; id: number; from_status: string; to_status: string }>(
    `select s.agent_name as agent, e.id::int as id, e.from_status::text as from_status, e.to_status::text as to_status
       from public.agent_events e join public.agent_status s on s.id = e.agent_id
      where e.from_status is not null and s.agent_name = any($1::text[]) order by e.id`,
    [names],
  );
  const lastTo = new Map<string, string>();
  for (const t of transitions) {
    const previous = lastTo.get(t.agent);
    if (previous !== undefined && previous !== t.from_status)
      problems.push(`${t.agent}: transition to ${previous} followed by one from ${t.from_status} (event ${t.id})`);
    lastTo.set(t.agent, t.to_status);
  }
  const { rows: ids } = await db.query<{ gaps: number }>(
    `select count(*)::int as gaps from (select id - lag(id) over (order by id) as step from public.agent_events) s where step > 1`,
  );
  report.eventIdGaps = ids[0].gaps;
  const { rows: beats } = await db.query<{ agent: string; at: number }>(
    `select agent_name as agent, (extract(epoch from last_heartbeat) * 1000)::float8 as at from public.agent_status where agent_name = any($1::text[])`,
    [names],
  );
  const stored = new Map(beats.map((b) => [b.agent, b.at]));
  for (const [agent, sentAt] of lastAckedHeartbeat) {
    // The database's now() is taken after the request was sent (same machine, same clock); 1 s of slack.
    if ((stored.get(agent) ?? 0) < sentAt - 1_000)
      problems.push(
        `${agent}: last_heartbeat ${new Date(stored.get(agent) ?? 0).toISOString()} is older than the heartbeat answered 200 at ${new Date(sentAt).toISOString()}`,
      );
  }
}

const summary = (values: number[]) =>
  values.length > 12
    ? `${values.slice(0, 6).join(',')}…${values.slice(-6).join(',')} (${values.length})`
    : values.join(',');

async function post(url: string, key: string, fn: string, args: unknown): Promise<boolean> {
  return (await postJson(url, key, fn, args)) !== undefined;
}

/** The JSON answer of a 200, undefined for anything else (refused connection, reset, 5xx). */
async function postJson<T>(url: string, key: string, fn: string, args: unknown): Promise<T | undefined> {
  try {
    const response = await fetch(`${url}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return response.status === 200 ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small seeded PRNG, so a failing run can be repeated. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
