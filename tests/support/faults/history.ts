// What the history may look like after a fault: every transition recorded once, none invented.
// docs/data-model.md promises one event per transition; an outage longer than an agent's offline
// timeout may add one offline/online pair per agent (that is a real transition the sweep saw).
import type { Db } from '@agent-status/stack';

export interface EventRow {
  id: number;
  agent_name: string;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  command: string | null;
  generation: number | null;
}

export async function eventsSince(db: Db, afterId: number, names: string[]): Promise<Map<string, EventRow[]>> {
  const { rows } = await db.query<EventRow>(
    `select e.id::int as id, s.agent_name, e.kind::text as kind, e.from_status::text as from_status, e.to_status::text as to_status,
            e.command::text as command, e.generation::int as generation
       from public.agent_events e join public.agent_status s on s.id = e.agent_id
      where e.id > $1 and s.agent_name = any($2::text[]) order by e.id`,
    [afterId, names],
  );
  const byAgent = new Map<string, EventRow[]>(names.map((n) => [n, []]));
  for (const row of rows) byAgent.get(row.agent_name)!.push(row);
  return byAgent;
}

export async function lastEventId(db: Db): Promise<number> {
  const { rows } = await db.query<{ id: number }>('select coalesce(max(id), 0)::int as id from public.agent_events');
  return rows[0].id;
}

/**
 * Problems in one agent's events after a fault. `expected` lists the kinds that must appear,
 * in order and exactly once each (e.g. ['command', 'status'] for a stop issued before an outage);
 * besides them only alternating offline/online pairs are allowed, ending online.
 */
export function historyProblems(name: string, events: EventRow[], expected: string[]): string[] {
  const problems: string[] = [];
  const core = events.filter((e) => e.kind !== 'offline' && e.kind !== 'online').map((e) => e.kind);
  if (JSON.stringify(core) !== JSON.stringify(expected))
    problems.push(`${name}: events ${JSON.stringify(core)}, expected ${JSON.stringify(expected)}`);
  let offline = false;
  for (const e of events) {
    if (e.kind === 'offline') {
      if (offline) problems.push(`${name}: offline twice in a row (event ${e.id})`);
      offline = true;
    } else if (e.kind === 'online') {
      if (!offline) problems.push(`${name}: online without a preceding offline (event ${e.id})`);
      offline = false;
    }
  }
  if (offline) problems.push(`${name}: still offline at the end`);
  // Status-trigger events carry from/to: each must start where the previous one ended.
  const chain = events.filter((e) => e.from_status !== null);
  for (let i = 1; i < chain.length; i++) {
    if (chain[i].from_status !== chain[i - 1].to_status) {
      problems.push(
        `${name}: transition ${chain[i - 1].from_status}→${chain[i - 1].to_status} followed by ${chain[i].from_status}→${chain[i].to_status}`,
      );
    }
  }
  return problems;
}
