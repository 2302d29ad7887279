// Credentials for the example agents: `.env.local` (written by `npm start`) at the repository root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `AGENT_TOKEN_<NAME>`: the agent name upper-cased, non-alphanumerics as `_`. */
export function tokenVariable(agentName: string): string {
  return `AGENT_TOKEN_${agentName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The real environment over `.env.local` (ENV_FILE when set, as `npm start` writes it there; never overrides the environment). */
export function readEnvLocal(
  path = process.env.ENV_FILE || join(REPO_ROOT, '.env.local'),
): Record<string, string | undefined> {
  const fromFile = existsSync(path) ? parse(readFileSync(path)) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(process.env)) if (value) merged[key] = value;
  return merged;
}

/**
 * The environment one agent's process needs: URL, the project's publishable key (the SDK prefers
 * SUPABASE_PUBLISHABLE_KEY over the legacy SUPABASE_ANON_KEY), and its own token as AGENT_TOKEN; without a
 * token, the secret key (trusted mode).
 */
export function agentEnvironment(agentName: string, env = readEnvLocal()): Record<string, string> {
  const token = env.AGENT_TOKEN ?? env[tokenVariable(agentName)];
  const result: Record<string, string> = {};
  for (const key of ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_PUBLISHABLE_KEY'] as const) {
    const value = env[key];
    if (value) result[key] = value;
  }
  if (token) result.AGENT_TOKEN = token;
  else {
    for (const key of ['SUPABASE_SECRET_KEY', 'SUPABASE_SERVICE_ROLE_KEY'] as const)
      if (env[key]) result[key] = env[key] as string;
  }
  return result;
}
