// The fleet as the tools show it: the fleet model's agents (@agent-status/client, read by
// read-fleet.ts, worded by status-view.ts) with tags, in a fixed order, filtered, counted, and one
// compact line each.
import { displayState } from '@agent-status/client';
import { type AgentOverviewRow, DISPLAY_STATES, type DisplayState, normalizeTag } from '@agent-status/domain';
import type { Client } from '../client.ts';
import { CliError } from '../errors.ts';
import { duration } from '../format.ts';
import { checkedRow } from '../read-fleet.ts';
import { restResult } from '../remote.ts';
import { agentJson } from '../status-view.ts';
import type { AgentPosition } from './cursor.ts';
import type { AgentSummary } from './schemas.ts';
import { cut, name, quoted } from './text.ts';

/** How much of an agent's activity and last error a list shows (get_agent shows them whole). */
export const LIST_TEXT_MAX = 200;

/** An agent as the tools read it: an agent_overview row (the fleet model's AgentView is one). */
export type Agent = AgentOverviewRow;

export function summary(agent: Agent, serverNowMs: number, textMax = LIST_TEXT_MAX): AgentSummary {
  const json = agentJson(agent, serverNowMs);
  return {
    ...json,
    last_activity: json.last_activity === null ? null : cut(json.last_activity, textMax),
    last_error: json.last_error === null ? null : cut(json.last_error, textMax),
    last_warning: agent.last_warning === null ? null : cut(agent.last_warning, textMax),
    tags: agent.tags ?? [],
  };
}

/** One agent on one line. */
export function agentLine(agent: AgentSummary): string {
  const parts = [
    `${agent.state}, health ${agent.health}`,
    agent.heartbeat_age_seconds === null ? 'never reported' : `heartbeat ${duration(agent.heartbeat_age_seconds)} ago`,
    ...(agent.uptime_seconds === null ? [] : [`up ${duration(agent.uptime_seconds)}`]),
    `desired ${agent.desired_state}${agent.pending ? ` (command pending: generation ${agent.generation}, carried out ${agent.observed_generation})` : ''}`,
  ];
  const extras = [
    ...(agent.tags.length > 0 ? [`tags ${agent.tags.map(name).join(', ')}`] : []),
    ...(agent.last_activity ? [`activity ${quoted(agent.last_activity)}`] : []),
    ...(agent.last_warning && agent.state === 'warning' ? [`warning ${quoted(agent.last_warning)}`] : []),
    ...(agent.last_error && (agent.state === 'error' || agent.state === 'offline')
      ? [`last error ${quoted(agent.last_error)}`]
      : []),
  ];
  return `- ${name(agent.name)}: ${parts.join(', ')}${extras.length > 0 ? `; ${extras.join('; ')}` : ''}`;
}

/** The fleet in a fixed order — name, then id, compared as JavaScript strings — that cursors rely on. */
export function inOrder<T extends Agent>(agents: Iterable<T>): T[] {
  const byPosition = (a: T, b: T) =>
    a.agent_name < b.agent_name ? -1 : a.agent_name > b.agent_name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return [...agents].sort(byPosition);
}

export const positionOf = (agent: Agent): AgentPosition => [agent.agent_name, agent.id];

export interface AgentFilter {
  state?: DisplayState;
  tag?: string;
  text?: string;
  names?: string[];
}

/** `text`: a case-insensitive part of the name, description, activity, last warning or last error. */
export function matches(agent: Agent, filter: AgentFilter): boolean {
  if (filter.state && displayState(agent) !== filter.state) return false;
  if (filter.tag && !(agent.tags ?? []).includes(normalizeTag(filter.tag))) return false;
  if (filter.names && !filter.names.includes(agent.agent_name)) return false;
  const needle = filter.text?.trim().toLowerCase();
  if (!needle) return true;
  return [agent.agent_name, agent.description, agent.last_activity, agent.last_warning, agent.last_error].some(
    (field) => field?.toLowerCase().includes(needle),
  );
}

export function countStates(agents: Iterable<Agent>): Record<DisplayState, number> {
  const counts = Object.fromEntries(DISPLAY_STATES.map((state) => [state, 0])) as Record<DisplayState, number>;
  for (const agent of agents) counts[displayState(agent)] += 1;
  return counts;
}

export const noSuchAgent = (agentName: string) =>
  new CliError(`there is no agent named "${name(agentName)}"`, 'agent_not_found', 404);

/** One agent's whole agent_overview row, by its exact name. */
export async function readAgent(client: Client, agentName: string): Promise<{ row: AgentOverviewRow; agent: Agent }> {
  const rows = restResult(
    await client.from('agent_overview').select('*').eq('agent_name', agentName).limit(1),
    'reading the agent',
  );
  if (!rows[0]) throw noSuchAgent(agentName);
  return { row: rows[0], agent: checkedRow(rows[0]) };
}
