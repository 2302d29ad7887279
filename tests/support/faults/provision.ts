// Agents and agent tokens for fault and load tests, created set-based straight in the database
// (two statements for any number of agents) with the same hashing as issue_agent_token().
import { randomBytes } from 'node:crypto';
import type { Db } from '@agent-status/stack';

export async function provisionAgents(db: Db, names: string[]): Promise<Map<string, string>> {
  const tokens = names.map(() => `ast_${randomBytes(32).toString('hex')}`);
  await db.query(
    `insert into public.agent_status (agent_name) select unnest($1::text[]) on conflict (agent_name) do nothing`,
    [names],
  );
  await db.query(
    `insert into public.agent_tokens (agent_id, token_hash, label)
     select s.id, app.hash_token(t.token), 'fault/load test'
       from unnest($1::text[], $2::text[]) as t(name, token) join public.agent_status s on s.agent_name = t.name`,
    [names, tokens],
  );
  return new Map(names.map((name, i) => [name, tokens[i]]));
}

export const workerNames = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(4, '0')}`);
