// What the Edge Runtime tells a function about its project, in the shape @supabase/server takes
// (its `env` option). The runtime's current variables come first — SUPABASE_PUBLISHABLE_KEYS,
// SUPABASE_SECRET_KEYS (JSON objects such as {"default":"sb_…"}), SUPABASE_JWKS — and the legacy
// ones (SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY) fill in when a project, or an older runtime,
// has no new ones, so a function works whether the project's keys are new or legacy.
import type { SupabaseEnv } from '@supabase/server';
import { ApiError } from './errors.ts';

export type ReadEnv = (name: string) => string | undefined;

export function functionEnv(read: ReadEnv): SupabaseEnv {
  const url = read('SUPABASE_URL');
  if (!url) throw new ApiError('internal', 'The function is not configured: SUPABASE_URL is not set.');
  return {
    url,
    publishableKeys: keySet(read, 'SUPABASE_PUBLISHABLE_KEYS', 'SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_ANON_KEY'),
    secretKeys: keySet(read, 'SUPABASE_SECRET_KEYS', 'SUPABASE_SECRET_KEY', 'SUPABASE_SERVICE_ROLE_KEY'),
    jwks: jwksFrom(read('SUPABASE_JWKS')),
  };
}

/** The named keys of the plural variable, else the singular one, else the legacy key, as {default: …}. */
function keySet(read: ReadEnv, plural: string, singular: string, legacy: string): Record<string, string> {
  const named = parseObject(read(plural));
  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(named ?? {})) if (typeof value === 'string' && value) keys[name] = value;
  if (Object.keys(keys).length > 0) return keys;
  const single = read(singular) || read(legacy);
  return single ? { default: single } : {};
}

function jwksFrom(text: string | undefined): SupabaseEnv['jwks'] {
  const parsed: unknown = text ? safeParse(text) : undefined;
  if (Array.isArray(parsed)) return { keys: parsed };
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { keys?: unknown }).keys)) return parsed as SupabaseEnv['jwks'];
  return null;
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  const parsed = text ? safeParse(text) : undefined;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
