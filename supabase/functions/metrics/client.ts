// A supabase-js client with the project's publishable key alone (the anon role): the credentials
// this function checks (metrics tokens, badge keys) travel as RPC arguments, and the SQL decides.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import { functionEnv, type ReadEnv } from '../_shared/env.ts';

export type AnonClient = SupabaseClient<Database>;

export function createAnonClient(read: ReadEnv, fetch?: typeof globalThis.fetch): AnonClient {
  const env = functionEnv(read);
  const key = env.publishableKeys.default ?? Object.values(env.publishableKeys)[0];
  if (!key) throw new ApiError('internal', 'The function is not configured: no publishable (anon) key is set.');
  return createClient<Database>(env.url, key, {
    global: fetch ? { fetch } : {},
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
