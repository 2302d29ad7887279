import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
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
  return `${lines.join('\n')}\n`;
}

/** Values are simple (URLs, keys, emails), but quoting keeps dotenv from reading `#` as a comment. */
function quote(value: string): string {
  if (/["\n\r]/.test(value)) throw new Error(`cannot write ${JSON.stringify(value)} to .env.local`);
  return `"${value}"`;
}

/**
 * Writes `.env.local` readable by its owner only: the text goes into a new file created
 * with mode 0600 beside it, which then replaces the old one. Writing in place would keep the mode an
 * existing file has (a 0644 file would stay readable by everyone, now holding the secret key); renaming
 * also means no reader ever sees half a file.
 */
export async function writeEnvFile(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    // The umask can only take bits away from 0600; chmod in case the file system ignored the mode.
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
