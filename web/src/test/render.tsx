import { render } from '@testing-library/preact';
import { createClient } from '@supabase/supabase-js';
import { App } from '../App.tsx';
import { ANON_KEY, SUPABASE_URL, sessionFor } from './msw.ts';
import { RefusedWebSocket } from './refused-socket.ts';

/** A real supabase-js client against the msw fake; its Realtime connections are refused, so the store polls. */
export function makeClient() {
  return createClient(SUPABASE_URL, ANON_KEY, {
    auth: { persistSession: true, autoRefreshToken: false },
    realtime: { transport: RefusedWebSocket as never },
  });
}

/** Stores a session the way supabase-js does, so the app starts signed in (like after a reload). */
export function storeSession(role: 'operator' | 'viewer') {
  const key = `sb-${new URL(SUPABASE_URL).hostname.split('.')[0]}-auth-token`;
  localStorage.setItem(key, JSON.stringify(sessionFor(`${role}@example.com`, role)));
}

export function renderApp(client = makeClient()) {
  const config = { ok: true as const, config: { url: SUPABASE_URL, publishableKey: ANON_KEY } };
  return {
    client,
    ...render(<App config={config} client={client} storeOptions={{ livePollMs: 60_000, fallbackPollMs: 60_000 }} />),
  };
}

/** Tests poll slowly; this fires the store's timer right away (the store refreshes via setTimeout). */
export async function triggerRefresh() {
  window.dispatchEvent(new Event('online'));
}
