import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { CommandRoute } from '../state/agents.ts';
import { ADD_AGENT, HOME, hrefFor, type AgentTab, type Route } from '../lib/route.ts';
import { orderedAgents } from '@agent-status/client';
import { countByState, filterAgents, fleetTags, type AgentFilter } from '../state/agentView.ts';
import { metricOfColumn, sortAgents, type Sort } from '../state/agentSort.ts';
import { createMetricsStore, type MetricsState } from '../state/metrics.ts';
import { MetricTiles } from '../components/metrics/MetricTiles.tsx';
import { MetricColumns } from '../components/metrics/MetricColumns.tsx';
import { tagProblem, type AgentCommand } from '@agent-status/domain';
import type { AgentStore, StoreState } from '../state/agents.ts';
import { useStore } from '../state/useStore.ts';
import { AgentDetail } from '../components/AgentDetail.tsx';
import { AgentList } from '../components/AgentList.tsx';
import { Toolbar } from '../components/Toolbar.tsx';
import { AgentTable } from '../components/fleet/AgentTable.tsx';
import { SelectionBar } from '../components/fleet/SelectionBar.tsx';
import { AvailabilityBar, WINDOWS } from '../components/fleet/AvailabilityBar.tsx';
import { useListView } from '../components/fleet/useListView.ts';
import { MuteControl } from '../components/MuteControl.tsx';
import { AgentPanel } from '../components/agent/AgentPanel.tsx';
import { AgentTabs } from '../components/agent/AgentTabs.tsx';
import { lazyComponent } from '../lib/lazy.tsx';
import type { DashboardClient } from '../lib/supabase.ts';
import { type Agent, wholeRow } from '../state/listRow.ts';

// Operators' panels load when first opened (initial JS ≤ 70 KiB gzipped).
const loadingPanel = <p class="muted">Loading…</p>;
const AddAgentForm = lazyComponent(
  () => import('../components/agent/AddAgentForm.tsx').then((m) => m.AddAgentForm),
  loadingPanel,
);
const AgentSettings = lazyComponent(
  () => import('../components/agent/AgentSettings.tsx').then((m) => m.AgentSettings),
  loadingPanel,
);
const AgentTokens = lazyComponent(
  () => import('../components/agent/AgentTokens.tsx').then((m) => m.AgentTokens),
  loadingPanel,
);
const AgentSchedules = lazyComponent(
  () => import('../components/agent/AgentSchedules.tsx').then((m) => m.AgentSchedules),
  loadingPanel,
);
const AgentLogs = lazyComponent(
  () => import('../components/logs/AgentLogs.tsx').then((m) => m.AgentLogs),
  loadingPanel,
);

const selectAgents = (s: StoreState) => s.agents;
const selectFleetComplete = (s: StoreState) => s.fleetComplete;
const selectLoadError = (s: StoreState) => s.loadError;
const selectBulkError = (s: StoreState) => s.bulkError;
const selectHistory = (s: StoreState) => s.history;
const selectAvailability = (s: StoreState) => s.availability;
const selectMetricColumns = (s: MetricsState) => s.columns;
const selectMetricValues = (s: MetricsState) => s.values;
const selectSchedules = (s: StoreState) => s.schedules;

type Props = {
  store: AgentStore;
  /** For what the page reads beside the store (metrics, tokens). */
  client: DashboardClient;
  canCommand: boolean;
  /** The agent whose detail is open (from the address), or null. */
  agentName: string | null;
  /** Which of its views (#/agents/<name>/settings, …/tokens, …/schedules); the detail when absent. */
  tab?: Exclude<AgentTab, 'overview'>;
  /** #/add-agent: the "Add agent" form beside the fleet. */
  adding?: boolean;
  /** For the snippets shown with a new token. */
  projectUrl: string;
  publishableKey: string;
  navigate: (route: Route) => void;
};

/** #/agents, #/agents/<name>[/logs|/settings|/tokens] and #/add-agent: the fleet, with one agent's panel beside it. */
export function AgentsPage({
  store,
  client,
  canCommand,
  agentName,
  tab,
  adding = false,
  projectUrl,
  publishableKey,
  navigate,
}: Props) {
  const agentsState = useStore(store, selectAgents);
  const fleetComplete = useStore(store, selectFleetComplete);
  const loadError = useStore(store, selectLoadError);
  const bulkError = useStore(store, selectBulkError);
  const history = useStore(store, selectHistory);
  const availability = useStore(store, selectAvailability);
  const schedules = useStore(store, selectSchedules);
  const [filter, setFilter] = useState<AgentFilter>({ state: 'all', search: '', tag: '' });
  const [bulkBusy, setBulkBusy] = useState(false);
  const [sort, setSort] = useState<Sort>({ column: 'name', descending: false });
  const [availabilityIndex, setAvailabilityIndex] = useState<0 | 2 | 4>(0);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  // The agents' own numbers: the open agent's tiles, and the table's chosen metric columns.
  const metricsStore = useMemo(() => createMetricsStore(client), [client]);
  useEffect(() => () => metricsStore.stop(), [metricsStore]);
  const metricColumns = useStore(metricsStore, selectMetricColumns);
  const metricValues = useStore(metricsStore, selectMetricValues);

  const all = useMemo(() => orderedAgents(agentsState), [agentsState]);
  const [view, setView] = useListView(all.length);
  useEffect(() => (view === 'table' ? metricsStore.showTable() : undefined), [view, metricsStore]);
  // Sorting by a metric column that was just removed falls back to the name.
  const sortMetric = metricOfColumn(sort.column);
  const activeSort: Sort =
    sortMetric !== null && !metricColumns.includes(sortMetric) ? { column: 'name', descending: false } : sort;
  const tags = useMemo(() => fleetTags(all), [all]);
  // A tag no agent carries any more (just removed) filters nothing rather than everything.
  const activeFilter = useMemo(
    () => (filter.tag && !tags.includes(filter.tag) ? { ...filter, tag: '' } : filter),
    [filter, tags],
  );
  const visible = useMemo(() => filterAgents(all, activeFilter), [all, activeFilter]);
  const sorted = useMemo(
    () =>
      view === 'table' && !(activeSort.column === 'name' && !activeSort.descending)
        ? sortAgents(visible, activeSort, availability, availabilityIndex, metricValues)
        : visible,
    [view, visible, activeSort.column, activeSort.descending, availability, availabilityIndex, metricValues],
  );
  const counts = useMemo(() => countByState(all), [all]);
  const checkedPresent = useMemo(() => [...checked].filter((id) => agentsState.byId[id]), [checked, agentsState.byId]);
  const onCheck = useCallback((ids: string[], on: boolean) => {
    setChecked((previous) => {
      const next = new Set(previous);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  }, []);
  const onOpen = useCallback((agent: Agent) => navigate({ page: 'agents', agent: agent.agent_name }), [navigate]);
  const onTagSelected = async (tag: string): Promise<string | null> => {
    const problem = tagProblem(tag);
    if (problem) return problem;
    return store.tag(checkedPresent, { add: [tag] });
  };
  const onSelectionCommand = async (command: AgentCommand) => {
    setBulkBusy(true);
    await store.commandMany(command, checkedPresent);
    setBulkBusy(false);
  };
  const selected = agentName === null ? null : (all.find((agent) => agent.agent_name === agentName) ?? null);
  const selectedId = selected?.id ?? null;
  // The list holds the list's columns; the agent's page shows its whole row, read when it opens.
  const detail = selected ? wholeRow(selected) : null;

  useEffect(() => {
    store.openAgent(selectedId);
    if (selectedId) void store.openHistory(selectedId);
    else store.closeHistory();
  }, [store, selectedId]);

  const onCommand = useCallback(
    (route: CommandRoute, agent: Agent) => {
      void store.command(route, { id: agent.id, name: agent.agent_name });
    },
    [store],
  );
  const onSelect = useCallback(
    (agentId: string) => {
      const agent = store.getState().agents.byId[agentId];
      if (!agent) return;
      navigate({ page: 'agents', agent: agent.agent_name === agentName ? null : agent.agent_name });
    },
    [store, navigate, agentName],
  );
  const onClose = useCallback(() => {
    navigate({ page: 'agents', agent: null });
    // Give focus back to the row that opened the panel.
    if (selectedId) document.querySelector<HTMLButtonElement>(`[data-agent-id="${selectedId}"] .agent-name`)?.focus();
  }, [navigate, selectedId]);
  // The store already shows these changes (an added agent after a read, a rename in place, a deleted
  // agent gone): only the address follows.
  const onAdded = useCallback((name: string) => navigate({ page: 'agents', agent: name, tab: 'tokens' }), [navigate]);
  const onSaved = useCallback(
    (name: string) => {
      if (name !== agentName) navigate({ page: 'agents', agent: name, tab: 'settings' });
    },
    [navigate, agentName],
  );
  const onDeleted = useCallback(() => navigate(HOME), [navigate]);
  const bulk = (route: 'start-all' | 'stop-all') => async () => {
    setBulkBusy(true);
    await store.command(route);
    setBulkBusy(false);
  };

  return (
    <main
      class={`content${selected || adding ? ' with-detail' : ''}${(selected && tab) || adding ? ' wide-detail' : ''}`}
    >
      <div class="list-column">
        {canCommand && (
          <p class="list-actions">
            <a class="button" href={hrefFor(ADD_AGENT)} aria-current={adding ? 'page' : undefined}>
              Add agent
            </a>
          </p>
        )}
        <Toolbar
          tags={tags}
          view={view}
          onView={setView}
          counts={counts}
          total={all.length}
          loading={!fleetComplete}
          filter={activeFilter}
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
        {canCommand && view === 'table' && (
          <SelectionBar
            count={checkedPresent.length}
            busy={bulkBusy}
            onCommand={onSelectionCommand}
            onClear={() => setChecked(new Set())}
            onTag={onTagSelected}
          />
        )}
        {agentsState.loaded && view === 'table' && (
          <div class="table-options">
            <label>
              Availability over{' '}
              <select
                value={availabilityIndex}
                onInput={(e) => setAvailabilityIndex(Number((e.currentTarget as HTMLSelectElement).value) as 0 | 2 | 4)}
              >
                {WINDOWS.map((w) => (
                  <option key={w.value} value={w.index}>
                    {w.label}
                  </option>
                ))}
              </select>
            </label>
            <MetricColumns store={metricsStore} />
          </div>
        )}
        {agentsState.loaded && view === 'table' ? (
          <AgentTable
            availabilityIndex={availabilityIndex}
            agents={sorted}
            availability={availability}
            clockOffsetMs={agentsState.clockOffsetMs}
            schedules={schedules.rows}
            openId={selectedId}
            checked={checked}
            canSelect={canCommand}
            sort={activeSort}
            onSort={setSort}
            onCheck={onCheck}
            onOpen={onOpen}
            metricColumns={metricColumns}
            metricValues={metricValues}
            onRowsShown={store.watchRows}
          />
        ) : agentsState.loaded ? (
          <AgentList
            agents={visible}
            clockOffsetMs={agentsState.clockOffsetMs}
            schedules={schedules.rows}
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
          {canCommand ? (
            <AddAgentForm store={store} onAdded={onAdded} />
          ) : (
            <p class="muted">Only operators can add agents.</p>
          )}
        </AgentPanel>
      )}
      {selected && !detail && (
        <AgentPanel title={selected.agent_name} onClose={onClose} focusKey={selected.id}>
          <p class="muted" role="status">
            Loading {selected.agent_name}…
          </p>
        </AgentPanel>
      )}
      {detail && !tab && (
        <AgentDetail
          agent={detail}
          history={history}
          clockOffsetMs={agentsState.clockOffsetMs}
          onClose={onClose}
          nav={<AgentTabs agentName={detail.agent_name} current="overview" canManage={canCommand} />}
        >
          <MetricTiles
            store={metricsStore}
            agentName={detail.agent_name}
            heartbeatIntervalSeconds={detail.heartbeat_interval_seconds}
          />
          <MuteControl
            until={detail.muted_until}
            canMute={canCommand}
            onMute={(until) => store.mute(detail.id, until)}
          />
          <AvailabilityBar store={store} agentId={detail.id} availability={availability[detail.id]} />
        </AgentDetail>
      )}
      {detail && tab && (
        <AgentPanel
          title={detail.agent_name}
          onClose={onClose}
          focusKey={`${detail.id}:${tab}`}
          nav={<AgentTabs agentName={detail.agent_name} current={tab} canManage={canCommand} />}
        >
          {tab === 'logs' ? (
            <AgentLogs client={client} agent={detail} clockOffsetMs={agentsState.clockOffsetMs} />
          ) : tab === 'schedules' ? (
            <AgentSchedules
              client={client}
              agent={detail}
              schedules={schedules.rows}
              schedulesError={schedules.error}
              canManage={canCommand}
              onChanged={store.refreshSchedules}
            />
          ) : tab === 'settings' ? (
            <AgentSettings
              store={store}
              agent={detail}
              canManage={canCommand}
              onSaved={onSaved}
              onDeleted={onDeleted}
            />
          ) : (
            <AgentTokens
              client={client}
              agent={detail}
              canManage={canCommand}
              projectUrl={projectUrl}
              publishableKey={publishableKey}
            />
          )}
        </AgentPanel>
      )}
    </main>
  );
}
