// The agent registry for the dashboard: adding, changing and deleting agents and issuing and
// revoking their tokens go through the `agents` Edge Function (operators; the function and the database
// check the role); token metadata — never a token or its hash — is read with REST under RLS.
import type { DashboardClient } from './supabase.ts';
import { describeFunctionError } from './commands.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; message: string; code?: string };

/** Settings as the registry takes them; a key left out is not changed (null: no description, the default grace). */
export interface AgentSettingsInput {
  description?: string | null;
  heartbeat_interval_seconds?: number;
  offline_after_seconds?: number | null;
}

export interface CreatedAgent {
  agent_name: string;
  id: string;
}

export interface AgentSettings {
  id: string;
  agent_name: string;
  description: string | null;
  heartbeat_interval_seconds: number;
  offline_after_seconds: number | null;
  effective_offline_after_seconds: number;
}

export interface IssuedToken {
  token_id: string;
  agent_name: string;
  /** Shown once: only its hash is stored. */
  token: string;
}

export interface TokenInfo {
  id: string;
  label: string | null;
  created_at: string;
  created_by_email: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

async function call<T>(client: DashboardClient, route: string, body: Record<string, unknown>): Promise<Result<T>> {
  try {
    const { data, error } = await client.functions.invoke(`agents/${route}`, { method: 'POST', body });
    if (!error) return { ok: true, value: data as T };
    const described = await describeFunctionError(error);
    return { ok: false, message: described.message, code: described.code };
  } catch (thrown) {
    return { ok: false, message: String((thrown as Error)?.message ?? thrown) };
  }
}

export const createAgent = (client: DashboardClient, agentName: string, settings: AgentSettingsInput) =>
  call<CreatedAgent>(client, 'create', { agent_name: agentName, ...settings });

export const updateAgent = (
  client: DashboardClient,
  agentName: string,
  changes: AgentSettingsInput & { new_name?: string },
) => call<AgentSettings>(client, 'update', { agent_name: agentName, ...changes });

export const deleteAgent = (client: DashboardClient, agentName: string) =>
  call<{ agent_name: string; deleted: true }>(client, 'delete', { agent_name: agentName });

export const issueToken = (client: DashboardClient, agentName: string, label: string) =>
  call<IssuedToken>(
    client,
    'tokens/issue',
    label.trim() ? { agent_name: agentName, label: label.trim() } : { agent_name: agentName },
  );

export const revokeToken = (client: DashboardClient, tokenId: string) =>
  call<{ token_id: string; revoked: true }>(client, 'tokens/revoke', { token_id: tokenId });

/** An agent's tokens, newest first (operators only; RLS shows others none). */
export async function listTokens(client: DashboardClient, agentId: string): Promise<Result<TokenInfo[]>> {
  const { data, error } = await client
    .from('agent_tokens')
    .select('id, label, created_at, created_by_email, last_used_at, revoked_at')
    .eq('agent_id', agentId)
    .order('created_at', { ascending: false });
  return error ? { ok: false, message: error.message } : { ok: true, value: data ?? [] };
}
