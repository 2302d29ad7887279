import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Session } from '@supabase/supabase-js';
import type { DashboardClient } from '../lib/supabase.ts';
import type { CommandRoute } from '../lib/commands.ts';
import { countByState, filterAgents, orderedAgents, type AgentFilter, type AgentView } from '../state/agentModel.ts';
import { createAgentStore, type AgentStoreOptions, type StoreState } from '../state/agents.ts';
import { useStore } from '../state/useStore.ts';
import { AgentDetail } from './AgentDetail.tsx';
import { AgentList } from './AgentList.tsx';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { Toolbar } from './Toolbar.tsx';

const selectAgents = (s: StoreState) => s.agents;
const selectConnection = (s: StoreState) => s.connection;
const selectLoadError = (s: StoreState) => s.loadError;
const selectBulkError = (s: StoreState) => s.bulkError;
const selectHistory = (s: StoreState) => s.history;

type Props = { client: DashboardClient; session: Session; storeOptions?: AgentStoreOptions };

export function Dashboard({ client, session, storeOptions }: Props) {
  const store = useMemo(() => createAgentStore(client, storeOptions), [client]);
  useEffect(() => {
    void store.start();
    return () => void store.stop();
  }, [store]);

  const agentsState = useStore(store, selectAgents);
  const connection = useStore(store, selectConnection);
  const loadError = useStore(store, selectLoadError);
  const bulkError = useStore(store, selectBulkError);
  const history = useStore(store, selectHistory);
  const [filter, setFilter] = useState<AgentFilter>({ state: 'all', search: '' });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [bulkBusy, setBulkBusy] = useState(false);

  const role = (session.user.app_metadata as { role?: string } | undefined)?.role;
  const canCommand = role === 'operator';
  const all = useMemo(() => orderedAgents(agentsState), [agentsState]);
  const visible = useMemo(() => filterAgents(all, filter), [all, filter]);
  const counts = useMemo(() => countByState(all), [all]);
  const selected = selectedId ? agentsState.byId[selectedId] ?? null : null;

  const onCommand = useCallback((route: CommandRoute, agent: AgentView) => {
    void store.command(route, { id: agent.id, name: agent.agent_name });
  }, [store]);
  const onSelect = useCallback((agentId: string) => {
    setSelectedId((current) => {
      if (current === agentId) {
        store.closeHistory();
        return null;
      }
      void store.openHistory(agentId);
      return agentId;
    });
  }, [store]);
  const onClose = useCallback(() => {
    const closing = selectedId;
    setSelectedId(null);
    store.closeHistory();
    // Give focus back to the row that opened the panel.
    if (closing) document.querySelector<HTMLButtonElement>(`[data-agent-id="${closing}"] .agent-name`)?.focus();
  }, [store, selectedId]);
  const bulk = (route: 'start-all' | 'stop-all') => async () => {
    setBulkBusy(true);
    await store.command(route);
    setBulkBusy(false);
  };

  return (
    <div class="dashboard">
      <header class="topbar">
        <h1>Agent Status</h1>
        <ConnectionBadge connection={connection} />
        <span class="who">
          {session.user.email} <span class="role">({role ?? 'no role'})</span>
        </span>
        <button type="button" onClick={() => void client.auth.signOut()}>
          Sign out
        </button>
      </header>
      {!role || (role !== 'operator' && role !== 'viewer') ? (
        <p class="command-error" role="alert">
          Your account has no dashboard role; ask an administrator to make you a viewer or operator.
        </p>
      ) : null}
      <main class={`content${selected ? ' with-detail' : ''}`}>
        <div class="list-column">
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
        </div>
        {selected && <AgentDetail agent={selected} history={history} clockOffsetMs={agentsState.clockOffsetMs} onClose={onClose} />}
      </main>
    </div>
  );
}
