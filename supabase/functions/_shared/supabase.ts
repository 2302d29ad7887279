// A supabase-js client that acts as the calling user, as Supabase documents it for Edge
// Functions: the anon key plus the caller's Authorization header, so that RLS and the
// database's own permission checks decide. The service-role key is deliberately not used.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';
import { ApiError } from './errors.ts';

export type UserClient = SupabaseClient<Database>;

export interface UserClientOptions {
  env: (name: string) => string | undefined;
  authorization: string;
  /** Injected by tests; the runtime's fetch otherwise. */
  fetch?: typeof fetch;
}

export function createUserClient({ env, authorization, fetch }: UserClientOptions): UserClient {
  const url = env('SUPABASE_URL');
  const anonKey = env('SUPABASE_ANON_KEY');
  if (!url || !anonKey) {
    throw new ApiError('internal', 'The function is not configured (SUPABASE_URL and SUPABASE_ANON_KEY are required).');
  }
  return createClient<Database>(url, anonKey, {
    global: { headers: { Authorization: authorization }, ...(fetch ? { fetch } : {}) },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
