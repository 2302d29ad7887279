import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';

/** A supabase-js client typed from the schema (the generated Database types). */
export type DashboardClient = SupabaseClient<Database>;

/** `publishableKey`: the project's publishable key (sb_publishable_…), or on a project still on legacy keys its anon key. */
export type DashboardConfig = { url: string; publishableKey: string };
export type ConfigResult = { ok: true; config: DashboardConfig } | { ok: false; missing: string[] };

/**
 * Reads the build-time variables: VITE_SUPABASE_URL and VITE_SUPABASE_PUBLISHABLE_KEY (the legacy
 * VITE_SUPABASE_ANON_KEY is accepted). The dashboard needs nothing else and must never see a secret key.
 */
export function readConfig(env: Record<string, string | undefined> = import.meta.env): ConfigResult {
  const url = env.VITE_SUPABASE_URL?.trim();
  const publishableKey = env.VITE_SUPABASE_PUBLISHABLE_KEY?.trim() || env.VITE_SUPABASE_ANON_KEY?.trim();
  const missing = [!url && 'VITE_SUPABASE_URL', !publishableKey && 'VITE_SUPABASE_PUBLISHABLE_KEY'].filter(
    (name): name is string => Boolean(name),
  );
  return missing.length || !url || !publishableKey
    ? { ok: false, missing }
    : { ok: true, config: { url, publishableKey } };
}

export function createDashboardClient(config: DashboardConfig): DashboardClient {
  // Default auth options keep the session in localStorage, so a reload stays signed in.
  return createClient<Database>(config.url, config.publishableKey);
}
