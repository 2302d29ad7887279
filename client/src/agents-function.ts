// The routes of the `agents` Edge Function (docs/api.md), each typed by what it answers: commands, and
// the agent registry. Every call is one POST with the caller's session; the function and the database
// decide who may (operators), so these only shape the request and the answer.
import type {
  AgentCommand,
  AgentSettings,
  AgentSettingsChange,
  CommandAnswer,
  CommandAnswers,
  CreatedAgent,
  DeletedAgent,
  IssuedAgentToken,
  RevokedAgentToken,
  TaggedAgent,
  TaggedAgents,
} from '@agent-status/domain';
import { invoke, type ProjectClient } from './invoke.ts';
import type { Result } from './result.ts';

const map = <T, U>(result: Result<T>, value: (answer: T) => U): Result<U> =>
  result.ok ? { ok: true, value: value(result.value) } : result;

/**
 * A command for one agent (a name) or several (names: one request, one set-based statement). The
 * answer is every commanded agent's new desired state and generation.
 */
export async function sendCommand(
  client: ProjectClient,
  command: AgentCommand,
  agents: string | readonly string[],
): Promise<Result<CommandAnswer[]>> {
  if (typeof agents === 'string')
    return map(await invoke<CommandAnswer>(client, `agents/${command}`, { agent_name: agents }), (one) => [one]);
  const answer = await invoke<CommandAnswers>(client, `agents/${command}`, { agent_names: [...agents] });
  return map(answer, (many) => many.agents);
}

/** Start all or Stop all: every agent the caller may command. */
export async function sendCommandToAll(
  client: ProjectClient,
  command: 'start' | 'stop',
): Promise<Result<CommandAnswer[]>> {
  return map(await invoke<CommandAnswers>(client, `agents/${command}-all`, {}), (many) => many.agents);
}

export const createAgent = (client: ProjectClient, agentName: string, settings: AgentSettingsChange = {}) =>
  invoke<CreatedAgent>(client, 'agents/create', { agent_name: agentName, ...settings });

/** Renames (new_name) and changes settings; a setting left out is not changed. */
export const updateAgent = (
  client: ProjectClient,
  agentName: string,
  changes: AgentSettingsChange & { new_name?: string },
) => invoke<AgentSettings>(client, 'agents/update', { agent_name: agentName, ...changes });

export const deleteAgent = (client: ProjectClient, agentName: string) =>
  invoke<DeletedAgent>(client, 'agents/delete', { agent_name: agentName });

/** A token for the agent's worker (an empty label is none); the answer holds it, once. */
export const issueAgentToken = (client: ProjectClient, agentName: string, label?: string) =>
  invoke<IssuedAgentToken>(
    client,
    'agents/tokens/issue',
    label ? { agent_name: agentName, label } : { agent_name: agentName },
  );

export const revokeAgentToken = (client: ProjectClient, tokenId: string) =>
  invoke<RevokedAgentToken>(client, 'agents/tokens/revoke', { token_id: tokenId });

/** Adds and removes tags on every named agent in one request; answers each one's tags after. */
export async function tagAgents(
  client: ProjectClient,
  agentNames: readonly string[],
  change: { add?: readonly string[]; remove?: readonly string[] },
): Promise<Result<TaggedAgent[]>> {
  const body = { agent_names: [...agentNames], add: [...(change.add ?? [])], remove: [...(change.remove ?? [])] };
  return map(await invoke<TaggedAgents>(client, 'agents/tags', body), (tagged) => tagged.agents);
}
