// Which key model the stack runs and which API keys it hands out: config.toml's [auth] publishable_key /
// secret_key (as the Supabase CLI reads them, `env(NAME)` included) over the defaults.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAuthToml } from '../auth/config.ts';

/**
 * `current`: publishable and secret API keys, user sessions signed with ES256 (what hosted projects and
 * `supabase start` get today); the legacy keys are still accepted. `legacy`: a project still on legacy
 * keys only: HS256 everywhere, no publishable or secret key accepted.
 */
export const KEY_MODELS = ['current', 'legacy'] as const;
export type KeyModel = (typeof KEY_MODELS)[number];

export function isKeyModel(value: unknown): value is KeyModel {
  return (KEY_MODELS as readonly unknown[]).includes(value);
}

export interface ConfiguredApiKeys {
  publishableKey?: string;
  secretKey?: string;
}

export function apiKeysFromToml(tomlText: string, env: Record<string, string | undefined>): ConfiguredApiKeys {
  const { auth } = parseAuthToml(tomlText);
  return { publishableKey: resolveValue(auth.publishable_key, env), secretKey: resolveValue(auth.secret_key, env) };
}

/** `"env(NAME)"` reads the variable NAME, as the CLI does; an unset variable counts as not configured. */
function resolveValue(value: unknown, env: Record<string, string | undefined>): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const fromEnv = /^env\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(value);
  if (!fromEnv) return value;
  return env[fromEnv[1]] || undefined;
}

export async function loadConfiguredApiKeys(
  rootDir: string,
  env: Record<string, string | undefined> = process.env,
): Promise<ConfiguredApiKeys> {
  try {
    return apiKeysFromToml(await readFile(path.join(rootDir, 'supabase', 'config.toml'), 'utf8'), env);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}
