// What the Edge Runtime tells a function about its project, in the shape @supabase/server takes
// (its `env` option). The runtime's current variables come first — SUPABASE_PUBLISHABLE_KEYS,
// SUPABASE_SECRET_KEYS (JSON objects such as {"default":"sb_…"}), SUPABASE_JWKS — and the legacy
// ones (SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY) are the `default` keys when a project, or an
// older runtime, has no new ones, and otherwise stay valid under the name `legacy` (match them with
// 'secret:*' / 'publishable:*'), so a caller that still holds a legacy key — a Vault secret written
// before the project's new keys existed — is not locked out during the transition.
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

/** The named keys of the plural variable, else the singular one as `default`; the legacy key as `default` or `legacy`. */
function keySet(read: ReadEnv, plural: string, singular: string, legacy: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseObject(read(plural)) ?? {}))
    if (typeof value === 'string' && value) keys[name] = value;
  const single = read(singular);
  if (Object.keys(keys).length === 0 && single) keys.default = single;
  const legacyKey = read(legacy);
  if (legacyKey && !Object.values(keys).includes(legacyKey)) keys[keys.default ? 'legacy' : 'default'] = legacyKey;
  return keys;
}

function jwksFrom(text: string | undefined): SupabaseEnv['jwks'] {
  const parsed: unknown = text ? safeParse(text) : undefined;
  if (Array.isArray(parsed)) return { keys: parsed };
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { keys?: unknown }).keys))
    return parsed as SupabaseEnv['jwks'];
  return null;
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  const parsed = text ? safeParse(text) : undefined;
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
