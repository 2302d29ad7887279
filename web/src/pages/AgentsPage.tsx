import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { CommandRoute } from '../lib/commands.ts';
import { ADD_AGENT, HOME, hrefFor, type Route } from '../lib/route.ts';
import { countByState, filterAgents, orderedAgents, type AgentFilter, type AgentView } from '../state/agentModel.ts';
import type { AgentStore, StoreState } from '../state/agents.ts';
import { useStore } from '../state/useStore.ts';
import { AgentDetail } from '../components/AgentDetail.tsx';
import { AgentList } from '../components/AgentList.tsx';
import { Toolbar } from '../components/Toolbar.tsx';
import { MuteControl } from '../components/MuteControl.tsx';
import { AddAgentForm } from '../components/agent/AddAgentForm.tsx';
import { AgentPanel } from '../components/agent/AgentPanel.tsx';
import { AgentSettings } from '../components/agent/AgentSettings.tsx';
import { AgentTabs } from '../components/agent/AgentTabs.tsx';
import { AgentTokens } from '../components/agent/AgentTokens.tsx';
import type { DashboardClient } from '../lib/supabase.ts';

const selectAgents = (s: StoreState) => s.agents;
const selectLoadError = (s: StoreState) => s.loadError;
const selectBulkError = (s: StoreState) => s.bulkError;
const selectHistory = (s: StoreState) => s.history;

type Props = {
  store: AgentStore;
  /** For what the page reads beside the store (an agent's mute). */
  client: DashboardClient;
  canCommand: boolean;
  /** The agent whose detail is open (from the address), or null. */
  agentName: string | null;
  /** Which of its views (#/agents/<name>/settings, …/tokens); the detail when absent. */
  tab?: 'settings' | 'tokens';
  /** #/add-agent: the "Add agent" form beside the fleet. */
  adding?: boolean;
  /** For the snippets shown with a new token. */
  projectUrl: string;
  publishableKey: string;
  navigate: (route: Route) => void;
};

/** #/agents, #/agents/<name>[/settings|/tokens] and #/add-agent: the fleet, with one agent's panel beside it. */
export function AgentsPage({ store, client, canCommand, agentName, tab, adding = false, projectUrl, publishableKey, navigate }: Props) {
  const agentsState = useStore(store, selectAgents);
  const loadError = useStore(store, selectLoadError);
  const bulkError = useStore(store, selectBulkError);
  const history = useStore(store, selectHistory);
  const [filter, setFilter] = useState<AgentFilter>({ state: 'all', search: '' });
  const [bulkBusy, setBulkBusy] = useState(false);

  const all = useMemo(() => orderedAgents(agentsState), [agentsState]);
  const visible = useMemo(() => filterAgents(all, filter), [all, filter]);
  const counts = useMemo(() => countByState(all), [all]);
  const selected = agentName === null ? null : (all.find((agent) => agent.agent_name === agentName) ?? null);
  const selectedId = selected?.id ?? null;

  useEffect(() => {
    if (selectedId) void store.openHistory(selectedId);
    else store.closeHistory();
  }, [store, selectedId]);

  const onCommand = useCallback((route: CommandRoute, agent: AgentView) => {
    void store.command(route, { id: agent.id, name: agent.agent_name });
  }, [store]);
  const onSelect = useCallback((agentId: string) => {
    const agent = store.getState().agents.byId[agentId];
    if (!agent) return;
    navigate({ page: 'agents', agent: agent.agent_name === agentName ? null : agent.agent_name });
  }, [store, navigate, agentName]);
  const onClose = useCallback(() => {
    navigate({ page: 'agents', agent: null });
    // Give focus back to the row that opened the panel.
    if (selectedId) document.querySelector<HTMLButtonElement>(`[data-agent-id="${selectedId}"] .agent-name`)?.focus();
  }, [navigate, selectedId]);
  const onAdded = useCallback((name: string) => {
    void store.refresh();
    navigate({ page: 'agents', agent: name, tab: 'tokens' });
  }, [store, navigate]);
  const onSaved = useCallback((name: string) => {
    void store.refresh();
    if (name !== agentName) navigate({ page: 'agents', agent: name, tab: 'settings' });
  }, [store, navigate, agentName]);
  const onDeleted = useCallback(() => {
    void store.refresh();
    navigate(HOME);
  }, [store, navigate]);
  const bulk = (route: 'start-all' | 'stop-all') => async () => {
    setBulkBusy(true);
    await store.command(route);
    setBulkBusy(false);
  };

  return (
    <main class={`content${selected || adding ? ' with-detail' : ''}${(selected && tab) || adding ? ' wide-detail' : ''}`}>
      <div class="list-column">
        {canCommand && (
          <p class="list-actions">
            <a class="button" href={hrefFor(ADD_AGENT)} aria-current={adding ? 'page' : undefined}>
              Add agent
            </a>
          </p>
        )}
        <Toolbar
          counts={counts}
          total={all.length}
          filter={filter}
          onFilter={setFilter}
          canCommand={canCommand}
          bulkBusy={bulkBusy}
          bulkError={bulkError}
          onStartAll={bulk('start-all')}
          onStopAll={bulk('stop-all')}
        />
        {loadError && (
          <p class="command-error" role="alert">
            {loadError}
          </p>
        )}
        {agentsState.loaded ? (
          <AgentList
            agents={visible}
            clockOffsetMs={agentsState.clockOffsetMs}
            canCommand={canCommand}
            selectedId={selectedId}
            onCommand={onCommand}
            onSelect={onSelect}
          />
        ) : (
          !loadError && <p class="muted">Loading agents…</p>
        )}
        {agentsState.loaded && agentName !== null && !selected && (
          <p class="command-error" role="alert">
            There is no agent named “{agentName}”.
          </p>
        )}
      </div>
      {adding && (
        <AgentPanel title="Add agent" onClose={() => navigate(HOME)}>
          {canCommand ? <AddAgentForm client={client} onAdded={onAdded} /> : <p class="muted">Only operators can add agents.</p>}
        </AgentPanel>
      )}
      {selected && !tab && (
        <AgentDetail agent={selected} history={history} clockOffsetMs={agentsState.clockOffsetMs} onClose={onClose}
          nav={<AgentTabs agentName={selected.agent_name} current="overview" canManage={canCommand} />}>
          <MuteControl client={client} agentName={selected.agent_name} canMute={canCommand} />
        </AgentDetail>
      )}
      {selected && tab && (
        <AgentPanel title={selected.agent_name} onClose={onClose} focusKey={`${selected.id}:${tab}`}
          nav={<AgentTabs agentName={selected.agent_name} current={tab} canManage={canCommand} />}>
          {tab === 'settings' ? (
            <AgentSettings client={client} agent={selected} canManage={canCommand} onSaved={onSaved} onDeleted={onDeleted} />
          ) : (
            <AgentTokens client={client} agent={selected} canManage={canCommand} projectUrl={projectUrl} publishableKey={publishableKey} />
          )}
        </AgentPanel>
      )}
    </main>
  );
}
