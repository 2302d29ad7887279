// What the dashboard holds of each agent. The whole fleet is read with the columns the list shows and
// the fleet model reads (at 10,000 agents 1.8 of fleet_overview_compact()'s 3 MB, which the page
// receives, parses and decodes at sign-in); an agent's page reads that agent's whole row (the store's
// openAgent), and Realtime's events carry whole agent_status rows.
import { type AgentView, type FleetColumn, MODEL_COLUMNS, type OverviewRowWith } from '@agent-status/client';

export const LIST_COLUMNS = [
  ...MODEL_COLUMNS,
  'health',
  'last_heartbeat',
  'started_at',
  'last_activity',
  'last_activity_at',
  'last_error',
  'duplicate_instance_seen_at',
  'tags',
  'muted_until',
] as const satisfies readonly FleetColumn[];

/** An agent as the list read gives it: these columns, the others once its whole row was read. */
export type ListRow = OverviewRowWith<(typeof LIST_COLUMNS)[number]>;
/** An agent in the dashboard's store. */
export type Agent = AgentView<ListRow>;

/**
 * The agent with its whole row (read when its page opened, or from an event's snapshot), or null while
 * only the list's columns are known. created_at is in every whole row and never in the list's.
 */
export const wholeRow = (agent: Agent): AgentView | null =>
  agent.created_at === undefined ? null : (agent as AgentView);
