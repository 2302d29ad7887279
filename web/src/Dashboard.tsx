import { useEffect, useLayoutEffect, useMemo } from 'preact/hooks';
import type { Session } from '@supabase/supabase-js';
import type { DashboardClient } from './lib/supabase.ts';
import { HOME, MONITORING, hrefFor } from './lib/route.ts';
import { useRoute } from './lib/useRoute.ts';
import { createAgentStore, type AgentStoreOptions, type StoreState } from './state/agents.ts';
import { useStore } from './state/useStore.ts';
import { AgentsPage } from './pages/AgentsPage.tsx';
import { lazyComponent } from './lib/lazy.tsx';
import { ConnectionBadge } from './components/ConnectionBadge.tsx';

// Pages most visits never open load on demand (initial JS ≤ 70 KiB gzipped).
const loadingPage = <p class="muted content">Loading…</p>;
const AlertsPage = lazyComponent(() => import('./pages/AlertsPage.tsx').then((m) => m.AlertsPage), loadingPage);
const ActivityPage = lazyComponent(() => import('./pages/ActivityPage.tsx').then((m) => m.ActivityPage), loadingPage);
const SchedulesPage = lazyComponent(
  () => import('./pages/SchedulesPage.tsx').then((m) => m.SchedulesPage),
  loadingPage,
);
const MonitoringPage = lazyComponent(
  () => import('./pages/MonitoringPage.tsx').then((m) => m.MonitoringPage),
  loadingPage,
);

const selectConnection = (s: StoreState) => s.connection;

type Props = {
  client: DashboardClient;
  session: Session;
  storeOptions?: AgentStoreOptions;
  projectUrl?: string;
  publishableKey?: string;
};

/** The signed-in shell: header, the live agent store every page shares, and the page the address names. */
export function Dashboard({ client, session, storeOptions, projectUrl = '', publishableKey = '' }: Props) {
  const store = useMemo(() => createAgentStore(client, storeOptions), [client]);
  // The fleet's first reads leave as soon as the shell is in the DOM, before the browser lays it out and
  // paints it, not a frame later when effects run (issue 29: sign-in → first screen). Nothing here sets
  // state synchronously: a layout effect that re-renders this component would drop its pending effects.
  useLayoutEffect(() => store.readFirst(), [store]);
  useEffect(() => {
    void store.start();
    return () => void store.stop();
  }, [store]);
  const connection = useStore(store, selectConnection);
  const [route, navigate] = useRoute();

  const role = (session.user.app_metadata as { role?: string } | undefined)?.role;
  const canCommand = role === 'operator';

  return (
    <div class="dashboard">
      <header class="topbar">
        <h1>
          <a href={hrefFor(HOME)} class="home-link">
            Agent Status
          </a>
        </h1>
        <nav class="pages">
          <a
            href={hrefFor(HOME)}
            aria-current={route.page === 'agents' || route.page === 'add-agent' ? 'page' : undefined}
          >
            Agents
          </a>
          <a href={hrefFor({ page: 'activity' })} aria-current={route.page === 'activity' ? 'page' : undefined}>
            Activity
          </a>
          <a href={hrefFor({ page: 'schedules' })} aria-current={route.page === 'schedules' ? 'page' : undefined}>
            Schedules
          </a>
          <a href={hrefFor({ page: 'alerts' })} aria-current={route.page === 'alerts' ? 'page' : undefined}>
            Alerts
          </a>
          {canCommand && (
            <a href={hrefFor(MONITORING)} aria-current={route.page === 'monitoring' ? 'page' : undefined}>
              Metrics &amp; badges
            </a>
          )}
        </nav>
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
      {route.page === 'agents' || route.page === 'add-agent' ? (
        <AgentsPage
          store={store}
          client={client}
          canCommand={canCommand}
          navigate={navigate}
          projectUrl={projectUrl}
          publishableKey={publishableKey}
          agentName={route.page === 'agents' ? route.agent : null}
          tab={route.page === 'agents' ? route.tab : undefined}
          adding={route.page === 'add-agent'}
        />
      ) : route.page === 'activity' ? (
        <ActivityPage client={client} store={store} kind={route.kind} agent={route.agent} navigate={navigate} />
      ) : route.page === 'schedules' ? (
        <SchedulesPage client={client} store={store} canManage={canCommand} />
      ) : route.page === 'alerts' ? (
        <AlertsPage client={client} canManage={canCommand} />
      ) : route.page === 'monitoring' ? (
        <MonitoringPage client={client} store={store} projectUrl={projectUrl} canManage={canCommand} />
      ) : (
        <main class="content">
          <p class="command-error" role="alert">
            There is no page at {route.hash}. <a href={hrefFor(HOME)}>Back to the agents</a>
          </p>
        </main>
      )}
    </div>
  );
}
