import { hrefFor, type AgentTab } from '../../lib/route.ts';

type Props = { agentName: string; current: AgentTab; canManage: boolean };

const TABS: ReadonlyArray<{ tab: AgentTab; label: string; managers: boolean }> = [
  { tab: 'overview', label: 'Overview', managers: false },
  { tab: 'logs', label: 'Logs', managers: false },
  { tab: 'settings', label: 'Settings', managers: true },
  { tab: 'tokens', label: 'Tokens', managers: true },
  { tab: 'schedules', label: 'Schedules', managers: false },
];

/** Links between an agent's views; each has its own address (#/agents/<name>[/logs|/settings|/tokens|/schedules]). Viewers see Overview, Logs and Schedules. */
export function AgentTabs({ agentName, current, canManage }: Props) {
  const tabs = TABS.filter((t) => canManage || !t.managers);
  if (tabs.length < 2) return null;
  return (
    <nav class="agent-tabs" aria-label={`Views of ${agentName}`}>
      {tabs.map(({ tab, label }) => (
        <a
          key={tab}
          href={hrefFor({ page: 'agents', agent: agentName, ...(tab === 'overview' ? {} : { tab }) })}
          aria-current={tab === current ? 'page' : undefined}
        >
          {label}
        </a>
      ))}
    </nav>
  );
}
