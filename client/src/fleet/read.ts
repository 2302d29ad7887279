// Every agent the caller may read, in one request: fleet_overview_compact() answers the agent_overview
// view whole, as one JSON value (one statement), where a plain read of the view would be cut at max_rows
// (1,000 on hosted Supabase and on the stack) without a word; its rows are arrays under one header, a
// third of fleet_overview()'s bytes (compact.ts). A project whose database predates it is read with
// fleet_overview(), and one that predates that in counted pages (pages.ts).
//
// A view that shows only some columns (the dashboard's list) asks for those: its rows carry them and
// leave the others out, to be filled in by a read of the whole row (readFleetRows) when it needs them.
import type { AgentOverviewRow } from '@agent-status/domain';
import type { ProjectClient } from '../invoke.ts';
import { restFailure, restResult, type Result } from '../result.ts';
import { rowsOfCompactFleet } from './compact.ts';
import { readAllPages } from './pages.ts';

// PGRST202: PostgREST knows no such function.
const missing = (response: { error: { code?: string } | null }) => response.error?.code === 'PGRST202';

/** A column of agent_overview that a read may ask for (server_time comes with every read). */
export type FleetColumn = Exclude<keyof AgentOverviewRow, 'server_time'>;
/** A row read with the columns `C` (and server_time); the others may be missing. */
export type OverviewRowWith<C extends FleetColumn> = Pick<AgentOverviewRow, C | 'server_time'> &
  Partial<AgentOverviewRow>;

export function readFleet(client: ProjectClient): Promise<Result<AgentOverviewRow[]>>;
/** Every agent, with at least `columns`: an older database answers whole rows. */
export function readFleet<C extends FleetColumn>(
  client: ProjectClient,
  columns: readonly C[],
): Promise<Result<OverviewRowWith<C>[]>>;
export async function readFleet(
  client: ProjectClient,
  columns?: readonly FleetColumn[],
): Promise<Result<OverviewRowWith<FleetColumn>[]>> {
  const compact = await client.rpc('fleet_overview_compact', columns ? { p_columns: [...columns] } : undefined, {
    get: true,
  });
  if (!missing(compact)) {
    const answer = restResult(compact);
    return answer.ok ? rowsOfCompactFleet(answer.value, columns) : answer;
  }
  const whole = await client.rpc('fleet_overview', undefined, { get: true });
  if (!missing(whole)) return restResult(whole);
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
