import { writeFile } from 'node:fs/promises';
import { tokenVariable } from '@agent-status/agents/env-local';

export interface LocalEnv {
  SUPABASE_URL: string;
  /** The current key model's keys: the primary names. Absent on a legacy-only stack (STACK_KEY_MODEL=legacy). */
  SUPABASE_PUBLISHABLE_KEY?: string;
  SUPABASE_SECRET_KEY?: string;
  /** The legacy JWT keys: deprecated, kept while hosted Supabase still accepts them. */
  SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  DASHBOARD_URL: string;
  DEMO_OPERATOR_EMAIL: string;
  DEMO_OPERATOR_PASSWORD: string;
  DEMO_VIEWER_EMAIL: string;
  DEMO_VIEWER_PASSWORD: string;
}

const DEPRECATED =
  '# Deprecated: the legacy JWT keys (hosted Supabase retires them at the end of 2026). ' +
  'Use SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY above; these stay only for tools not yet moved.';
const LEGACY_ONLY =
  '# Legacy JWT keys only: this stack runs like a project still on legacy keys (STACK_KEY_MODEL=legacy). ' +
  'Without STACK_KEY_MODEL, npm start writes SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY too.';

/** The text of `.env.local`: exactly the keys of SPEC §3 "Commands", one token per agent; the legacy keys labelled. */
export function renderEnvFile(env: LocalEnv, tokens: { agentName: string; token: string }[]): string {
  const lines = ['# Written by `npm start`; rewritten on every start (agent tokens are re-issued). Do not commit.'];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key === 'SUPABASE_ANON_KEY') lines.push(env.SUPABASE_PUBLISHABLE_KEY ? DEPRECATED : LEGACY_ONLY);
    lines.push(`${key}=${quote(value)}`);
  }
  lines.push(...tokens.map((t) => `${tokenVariable(t.agentName)}=${quote(t.token)}`));
  return lines.join('\n') + '\n';
}

/** Values are simple (URLs, keys, emails), but quoting keeps dotenv from reading `#` as a comment. */
function quote(value: string): string {
  if (/["\n\r]/.test(value)) throw new Error(`cannot write ${JSON.stringify(value)} to .env.local`);
  return `"${value}"`;
}

export async function writeEnvFile(path: string, text: string): Promise<void> {
  // The file holds the secret key: readable by its owner only.
  await writeFile(path, text, { mode: 0o600 });
}
