// Tags through the `agents` function's /tags route: one request adds and removes tags on many agents.
import type { DashboardClient } from './supabase.ts';
import { describeFunctionError } from './commands.ts';
import type { Result } from './registry.ts';

export type TaggedAgent = { agent_name: string; tags: string[] };

export async function tagAgents(
  client: DashboardClient,
  agentNames: readonly string[],
  change: { add?: string[]; remove?: string[] },
): Promise<Result<TaggedAgent[]>> {
  try {
    const { data, error } = await client.functions.invoke('agents/tags', {
      method: 'POST',
      body: { agent_names: [...agentNames], add: change.add ?? [], remove: change.remove ?? [] },
    });
    if (error) {
      const described = await describeFunctionError(error);
      return { ok: false, message: described.message, code: described.code };
    }
    return { ok: true, value: Array.isArray(data?.agents) ? data.agents : [] };
  } catch (thrown) {
    return { ok: false, message: String((thrown as Error)?.message ?? thrown) };
  }
}
