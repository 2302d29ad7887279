// An agent by its exact name, for the commands that name one (events, tokens list).
import type { Client } from './client.ts';
import { restResult } from './remote.ts';

/** The agent's id and name; null when there is none (or the caller may not see it). */
export async function findAgent(client: Client, name: string): Promise<{ id: string; name: string } | null> {
  const rows = restResult(
    await client.from('agent_status').select('id, agent_name').eq('agent_name', name).limit(1),
    'looking up the agent',
  );
  return rows[0] ? { id: rows[0].id, name: rows[0].agent_name } : null;
}
