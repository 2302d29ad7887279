import type { CommandRoute } from '../state/agents.ts';

import type { ScheduleOverviewRow } from '@agent-status/domain';
import { AgentRow } from './AgentRow.tsx';
import type { Agent } from '../state/listRow.ts';

type Props = {
  agents: Agent[];
  clockOffsetMs: number;
  /** Every schedule (the store's), for each card's next scheduled change; null until read. */
  schedules?: readonly ScheduleOverviewRow[] | null;
  canCommand: boolean;
  selectedId: string | null;
  onCommand: (route: CommandRoute, agent: Agent) => void;
  onSelect: (agentId: string) => void;
};

/** Above this many cards, only those on screen are drawn (each card is a few dozen elements and ticking labels). */
export const DRAW_ALL_CARDS_UP_TO = 100;

export function AgentList({
  agents,
  clockOffsetMs,
  schedules = null,
  canCommand,
  selectedId,
  onCommand,
  onSelect,
}: Props) {
  if (!agents.length) return <p class="empty">No agents match.</p>;
  const windowed = agents.length > DRAW_ALL_CARDS_UP_TO;
  return (
    <ul class="agent-list" aria-label="Agents">
      {agents.map((agent) => (
        <AgentRow
          key={agent.id}
          agent={agent}
          clockOffsetMs={clockOffsetMs}
          schedules={schedules}
          canCommand={canCommand}
          selected={agent.id === selectedId}
          onCommand={onCommand}
          onSelect={onSelect}
          windowed={windowed}
        />
      ))}
    </ul>
  );
}
