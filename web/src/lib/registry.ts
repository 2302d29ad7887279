// The agent registry for the dashboard: adding, changing and deleting agents, tagging them and issuing
// and revoking their tokens go through the `agents` Edge Function (@agent-status/client; operators, the
// function and the database check the role); token metadata — never a token or its hash — is read with
// REST under RLS.
import * as calls from '@agent-status/client';
import { restResult, type Result } from '@agent-status/client';
import type { AgentSettingsChange, Database } from '@agent-status/domain';
import { worded } from './failure.ts';
import type { DashboardClient } from './supabase.ts';

/** What the Tokens view shows of a token: its metadata (never the token or its hash). */
export type TokenInfo = Pick<
  Database['public']['Tables']['agent_tokens']['Row'],
  'id' | 'label' | 'created_at' | 'created_by_email' | 'last_used_at' | 'revoked_at'
>;

export const createAgent = (client: DashboardClient, agentName: string, settings: AgentSettingsChange) =>
  worded(calls.createAgent(client, agentName, settings));

export const updateAgent = (
  client: DashboardClient,
  agentName: string,
  changes: AgentSettingsChange & { new_name?: string },
) => worded(calls.updateAgent(client, agentName, changes));

export const deleteAgent = (client: DashboardClient, agentName: string) => worded(calls.deleteAgent(client, agentName));

export const issueToken = (client: DashboardClient, agentName: string, label: string) =>
  worded(calls.issueAgentToken(client, agentName, label.trim()));

export const revokeToken = (client: DashboardClient, tokenId: string) =>
  worded(calls.revokeAgentToken(client, tokenId));

export const tagAgents = (
  client: DashboardClient,
  agentNames: readonly string[],
  change: { add?: string[]; remove?: string[] },
) => worded(calls.tagAgents(client, agentNames, change));

/** An agent's tokens, newest first (operators only; RLS shows others none). */
export async function listTokens(client: DashboardClient, agentId: string): Promise<Result<TokenInfo[]>> {
  return restResult(
    await client
      .from('agent_tokens')
      .select('id, label, created_at, created_by_email, last_used_at, revoked_at')
      .eq('agent_id', agentId)
      .order('created_at', { ascending: false }),
  );
}
