// Every agent the caller may read, in one request: fleet_overview() answers the agent_overview view
// whole, as one JSON value (one statement), where a plain read of the view would be cut at max_rows
// (1,000 on hosted Supabase and on the stack) without a word. A project whose database predates
// fleet_overview() is read in counted pages instead (pages.ts).
import type { AgentOverviewRow } from '@agent-status/domain';
import type { ProjectClient } from '../invoke.ts';
import { restFailure, restResult, type Result } from '../result.ts';
import { readAllPages } from './pages.ts';

export async function readFleet(client: ProjectClient): Promise<Result<AgentOverviewRow[]>> {
  const whole = await client.rpc('fleet_overview', undefined, { get: true });
  // PGRST202: PostgREST knows no such function.
  if (whole.error?.code !== 'PGRST202') return restResult(whole);
  const paged = await readAllPages(
    (from, to, withCount) =>
      client
        .from('agent_overview')
        .select('*', withCount ? { count: 'exact' } : undefined)
        .order('agent_name')
        .order('id')
        .range(from, to),
    (row) => row.id,
  );
  if (paged.error === null) return { ok: true, value: paged.data };
  return { ok: false, error: restFailure(paged.error, paged.status ?? 0) };
}

/**
 * The first `rows` agents in the order a list shows them by default (by name): a first screen to draw
 * while the whole fleet is still being read, which for thousands of agents takes a while.
 */
export async function readFleetHead(client: ProjectClient, rows: number): Promise<Result<AgentOverviewRow[]>> {
  return restResult(await client.from('agent_overview').select('*').order('agent_name').order('id').limit(rows));
}

/** These agents' rows (those a view shows), for a refresh that need not read the whole fleet. */
export async function readFleetRows(
  client: ProjectClient,
  ids: readonly string[],
): Promise<Result<AgentOverviewRow[]>> {
  return restResult(
    await client
      .from('agent_overview')
      .select('*')
      .in('id', [...ids]),
  );
}
