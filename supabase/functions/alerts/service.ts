// The dispatcher's database access, as the service role: the secret key from the runtime's env
// (functionEnv: SUPABASE_SECRET_KEYS, else the legacy SUPABASE_SERVICE_ROLE_KEY), and the two RPCs
// of the outbox. Recording is retried: a result that never arrives leaves the delivery claimed until
// its lease runs out, and then it is sent again (at-least-once; receivers dedupe on the delivery id).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';
import type { SupabaseEnv } from '@supabase/server';
import { ApiError } from '../_shared/errors.ts';
import type { Outbox } from './dispatch.ts';

export type ServiceClient = SupabaseClient<Database>;

export function createServiceClient(env: SupabaseEnv, fetchFn?: typeof fetch): ServiceClient {
  const key = env.secretKeys.default ?? Object.values(env.secretKeys)[0];
  if (!key)
    throw new ApiError(
      'internal',
      'The function is not configured: no secret key (SUPABASE_SECRET_KEYS or SUPABASE_SERVICE_ROLE_KEY).',
    );
  return createClient<Database>(env.url, key, {
    global: fetchFn ? { fetch: fetchFn } : {},
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

export function outboxOf(client: ServiceClient, log: (line: string) => void): Outbox {
  return {
    async claim(limit, leaseSeconds) {
      const { data, error } = await client.rpc('claim_alert_deliveries', {
        p_limit: limit,
        p_lease_seconds: leaseSeconds,
      });
      if (error) throw new Error(`claim_alert_deliveries failed: ${error.message}`);
      return data ?? [];
    },
    async record(claimId, results) {
      for (let attempt = 1; ; attempt++) {
        const { error } = await client.rpc('record_alert_results', { p_claim_id: claimId, p_results: results });
        if (!error) return;
        log(`alerts: record_alert_results failed (attempt ${attempt}): ${error.message}`);
        if (attempt >= 3) throw new Error(`record_alert_results failed: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    },
  };
}

/** What the deployment decided (alert_settings): the dashboard's URL for deep links, and private receivers. */
export interface AlertSettings {
  dashboardUrl: string | null;
  allowPrivateUrls: boolean;
}

/** The deployment's alert settings; without them, no deep links and public receivers only. */
export async function alertSettings(client: ServiceClient): Promise<AlertSettings> {
  const { data } = await client.from('alert_settings').select('dashboard_url, allow_private_urls').maybeSingle();
  return { dashboardUrl: data?.dashboard_url ?? null, allowPrivateUrls: data?.allow_private_urls ?? false };
}
