import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';

/** A supabase-js client typed from the schema (the generated Database types). */
export type DashboardClient = SupabaseClient<Database>;

export type DashboardConfig = { url: string; anonKey: string };
export type ConfigResult = { ok: true; config: DashboardConfig } | { ok: false; missing: string[] };

/** Reads the two build-time variables; the dashboard needs nothing else (and must never see a service key). */
export function readConfig(env: Record<string, string | undefined> = import.meta.env): ConfigResult {
  const url = env.VITE_SUPABASE_URL?.trim();
  const anonKey = env.VITE_SUPABASE_ANON_KEY?.trim();
  const missing = [!url && 'VITE_SUPABASE_URL', !anonKey && 'VITE_SUPABASE_ANON_KEY'].filter(
    (name): name is string => Boolean(name),
  );
  return missing.length || !url || !anonKey ? { ok: false, missing } : { ok: true, config: { url, anonKey } };
}

export function createDashboardClient(config: DashboardConfig): DashboardClient {
  // Default auth options keep the session in localStorage, so a reload stays signed in.
  return createClient<Database>(config.url, config.anonKey);
}
