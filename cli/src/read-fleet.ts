// The fleet as the CLI reads it: @agent-status/client's readFleet() (fleet_overview(), the dashboard's
// read) merged into its fleet model, each agent checked for a state and desired state this CLI knows.
// A newer or hostile server may answer anything; the CLI says so rather than print a state it cannot
// word (live changes with such a value are ignored by the model).
import {
  type AgentsState,
  type AgentView,
  applyOverview,
  emptyAgentsState,
  readFleet as readWholeFleet,
} from '@agent-status/client';
import { AGENT_STATUSES, type AgentOverviewRow, DESIRED_STATES } from '@agent-status/domain';
import type { Client } from './client.ts';
import { CliError } from './errors.ts';
import { restValue } from './remote.ts';

/** Every agent the caller may read, merged into `state`; the clock offset measured from the request's middle. */
export async function readFleet(client: Client, state: AgentsState = emptyAgentsState): Promise<AgentsState> {
  const requestedAt = Date.now();
  const rows = restValue(await readWholeFleet(client), 'reading agents');
  for (const row of rows) checkedRow(row);
  return applyOverview(state, rows, (requestedAt + Date.now()) / 2);
}

/** The agents of a read, as the fleet model holds them. */
export const agentsOf = (fleet: AgentsState): AgentView[] => Object.values(fleet.byId);

/** The row, once its state and desired state are ones this CLI knows; a CliError otherwise. */
export function checkedRow<Row extends Pick<AgentOverviewRow, 'status' | 'desired_state'>>(row: Row): Row {
  known(AGENT_STATUSES, row.status, 'state');
  known(DESIRED_STATES, row.desired_state, 'desired state');
  return row;
}

function known<T extends string>(values: readonly T[], value: unknown, what: string): T {
  if (values.includes(value as T)) return value as T;
  throw new CliError(
    `unexpected answer from the server: an agent's ${what} "${String(value)}" (this CLI knows ${values.join(', ')})`,
    'unexpected_answer',
  );
}
