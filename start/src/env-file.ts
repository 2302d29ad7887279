import { writeFile } from 'node:fs/promises';
import { tokenVariable } from '@agent-status/agents/env-local';

export interface LocalEnv {
  SUPABASE_URL: string;
  SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  DASHBOARD_URL: string;
  DEMO_OPERATOR_EMAIL: string;
  DEMO_OPERATOR_PASSWORD: string;
  DEMO_VIEWER_EMAIL: string;
  DEMO_VIEWER_PASSWORD: string;
}

/** The text of `.env.local`: exactly the keys of SPEC §3 "Commands", one token per agent. */
export function renderEnvFile(env: LocalEnv, tokens: { agentName: string; token: string }[]): string {
  const lines = [
    '# Written by `npm start`; rewritten on every start (agent tokens are re-issued). Do not commit.',
    ...Object.entries(env).map(([key, value]) => `${key}=${quote(value)}`),
    ...tokens.map((t) => `${tokenVariable(t.agentName)}=${quote(t.token)}`),
  ];
  return lines.join('\n') + '\n';
}

/** Values are simple (URLs, keys, emails), but quoting keeps dotenv from reading `#` as a comment. */
function quote(value: string): string {
  if (/["\n\r]/.test(value)) throw new Error(`cannot write ${JSON.stringify(value)} to .env.local`);
  return `"${value}"`;
}

export async function writeEnvFile(path: string, text: string): Promise<void> {
  // The file holds the service-role key: readable by its owner only.
  await writeFile(path, text, { mode: 0o600 });
}
