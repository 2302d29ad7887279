import type { CommandRoute } from '../state/agents.ts';
import type { AgentView } from '@agent-status/client';
import { AgentRow } from './AgentRow.tsx';

type Props = {
  agents: AgentView[];
  clockOffsetMs: number;
  canCommand: boolean;
  selectedId: string | null;
  onCommand: (route: CommandRoute, agent: AgentView) => void;
  onSelect: (agentId: string) => void;
};

export function AgentList({ agents, clockOffsetMs, canCommand, selectedId, onCommand, onSelect }: Props) {
  if (!agents.length) return <p class="empty">No agents match.</p>;
  return (
    <ul class="agent-list" aria-label="Agents">
      {agents.map((agent) => (
        <AgentRow
          key={agent.id}
          agent={agent}
          clockOffsetMs={clockOffsetMs}
          canCommand={canCommand}
          selected={agent.id === selectedId}
          onCommand={onCommand}
          onSelect={onSelect}
        />
      ))}
    </ul>
  );
}
