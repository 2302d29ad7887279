import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Session } from '@supabase/supabase-js';
import {
  createDashboardClient,
  readConfig,
  type ConfigResult,
  type DashboardClient,
  type DashboardConfig,
} from './lib/supabase.ts';
import type { AgentStoreOptions } from './state/agents.ts';
import { SignIn } from './components/SignIn.tsx';
import { lazyComponent } from './lib/lazy.tsx';

// The signed-in dashboard is its own chunk: the first paint (session check, sign-in form) needs only
// supabase-js and this file, so the initial JS stays ≤ 70 KiB gzipped. Its download starts at once
// (below), in parallel with the session check and the password, not after them.
const loadDashboard = () => import('./Dashboard.tsx').then((m) => m.Dashboard);
const Dashboard = lazyComponent(loadDashboard, <p class="muted center">Loading…</p>);

type Props = { config?: ConfigResult; client?: DashboardClient; storeOptions?: AgentStoreOptions };

export function App({ config = readConfig(), client: givenClient, storeOptions }: Props) {
  if (!config.ok) {
    return (
      <main class="signin">
        <h1>Agent Status</h1>
        <p class="command-error" role="alert">
          The dashboard is not configured: set {config.missing.join(' and ')} when building (see docs/dashboard.md).
        </p>
      </main>
    );
  }
  return <SignedInGate config={config.config} givenClient={givenClient} storeOptions={storeOptions} />;
}

function SignedInGate({
  config,
  givenClient,
  storeOptions,
}: {
  config: DashboardConfig;
  givenClient?: DashboardClient;
  storeOptions?: AgentStoreOptions;
}) {
  const client = useMemo(
    () => givenClient ?? createDashboardClient(config),
    [givenClient, config.url, config.publishableKey],
  );
  useEffect(() => void loadDashboard(), []);
  // undefined = still reading the stored session (avoids flashing the sign-in form on reload).
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    let active = true;
    client.auth.getSession().then(({ data }) => active && setSession(data.session));
    const { data } = client.auth.onAuthStateChange((_event, next) => active && setSession(next));
    return () => {
      active = false;
      data.subscription.unsubscribe();
    };
  }, [client]);

  if (session === undefined) return <p class="muted center">Loading…</p>;
  if (!session) return <SignIn client={client} url={config.url} />;
  // Keyed by user: signing in as someone else starts from a clean store.
  return (
    <Dashboard
      key={session.user.id}
      client={client}
      session={session}
      storeOptions={storeOptions}
      projectUrl={config.url}
      publishableKey={config.publishableKey}
    />
  );
}
