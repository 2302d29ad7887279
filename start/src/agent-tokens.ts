import type { SupabaseClient } from '@supabase/supabase-js';

export const TOKEN_LABEL = 'npm start';

/**
 * Revokes the tokens an earlier `npm start` issued, then issues one fresh token per agent, so
 * `.env.local` always holds the only live `npm start` tokens.
 */
export async function reissueAgentTokens(service: SupabaseClient): Promise<{ agentName: string; token: string }[]> {
  const revoked = await service
    .from('agent_tokens')
    .update({ revoked_at: new Date().toISOString() })
    .eq('label', TOKEN_LABEL)
    .is('revoked_at', null);
  if (revoked.error) throw new Error(`revoking old tokens failed: ${revoked.error.message}`);
  const agents = await service.from('agent_status').select('agent_name').order('created_at').order('agent_name');
  if (agents.error) throw new Error(`listing agents failed: ${agents.error.message}`);
  const tokens = [];
  for (const { agent_name } of agents.data as { agent_name: string }[]) {
    const { data, error } = await service.rpc('issue_agent_token', { p_agent_name: agent_name, p_label: TOKEN_LABEL });
    if (error) throw new Error(`issuing a token for ${agent_name} failed: ${error.message}`);
    tokens.push({ agentName: agent_name, token: (data as { token: string }[])[0].token });
  }
  return tokens;
}
