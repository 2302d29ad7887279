// What the dashboard shows of an agent of the fleet model (@agent-status/client): its pending label, why
// a command would change nothing, the counts, filters and tags of the toolbar, the "2 workers" notice.
import { displayState } from '@agent-status/client';
import type { AgentCommand, DisplayState } from '@agent-status/domain';
import type { Agent } from './listRow.ts';

const PENDING_LABELS: Record<AgentCommand, string> = {
  start: 'starting…',
  stop: 'stopping…',
  restart: 'restarting…',
};

/** "stopping…" etc. while the agent has not acknowledged the latest command. */
export function pendingLabel(agent: Agent): string | null {
  if (agent.optimistic) return PENDING_LABELS[agent.optimistic];
  if (!agent.pending) return null;
  const command = agent.last_command ?? (agent.desired_state === 'stopped' ? 'stop' : 'start');
  return PENDING_LABELS[command];
}

/**
 * Why a command would change nothing now, or null: Start while the agent runs and has acknowledged
 * its latest request, Stop while it is stopped and has. (Restart always does something.)
 */
export function commandBlockedReason(agent: Agent, command: AgentCommand): string | null {
  if (agent.pending || agent.optimistic) return null;
  if (
    command === 'start' &&
    agent.desired_state === 'running' &&
    !agent.offline &&
    (agent.status === 'running' || agent.status === 'warning')
  ) {
    return 'Already running: the agent has acknowledged the latest start.';
  }
  if (command === 'stop' && agent.desired_state === 'stopped' && agent.status === 'stopped') {
    return 'Already stopped: the agent has acknowledged the latest stop.';
  }
  return null;
}

export function countByState(agents: readonly Agent[]): Record<DisplayState, number> {
  const counts: Record<DisplayState, number> = { running: 0, warning: 0, error: 0, stopped: 0, offline: 0 };
  for (const agent of agents) counts[displayState(agent)] += 1;
  return counts;
}

/** `tag`: only agents carrying it ('' for any). */
export type AgentFilter = { state: DisplayState | 'all'; search: string; tag?: string };

export function filterAgents(agents: readonly Agent[], filter: AgentFilter): Agent[] {
  const needle = filter.search.trim().toLowerCase();
  const tag = filter.tag ?? '';
  if (filter.state === 'all' && !needle && !tag) return agents as Agent[];
  return agents.filter(
    (agent) =>
      (filter.state === 'all' || displayState(agent) === filter.state) &&
      (!needle || agent.agent_name.toLowerCase().includes(needle)) &&
      (!tag || (agent.tags ?? []).includes(tag)),
  );
}

/** Every tag in the fleet, sorted: the tag filter's choices. */
export function fleetTags(agents: readonly Agent[]): string[] {
  const tags = new Set<string>();
  for (const agent of agents) for (const tag of agent.tags ?? []) tags.add(tag);
  return [...tags].sort();
}

/**
 * How long the dashboard says "2 workers" after a second, displaced worker instance of an agent last
 * reported (duplicate_instance_seen_at). An SDK worker stands down after one such report, so the notice must
 * outlast that moment for a person to see it; a worker that does not stand down keeps it lit.
 */
export const SECOND_WORKER_NOTICE_MS = 15 * 60_000;

export function secondWorkerSeen(seenAt: string | null | undefined, nowMs: number): boolean {
  if (!seenAt) return false;
  const at = Date.parse(seenAt);
  return Number.isFinite(at) && nowMs - at < SECOND_WORKER_NOTICE_MS;
}
