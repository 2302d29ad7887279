// The agent registry: each route is one set-based SQL function run as the caller, so the
// database decides who may (an operator by JWT and by account, app.can_command) and records who did
// it in the agent's history. Database errors become the function's error codes.
import type {
  AgentSettings,
  CreatedAgent,
  DeletedAgent,
  IssuedAgentToken,
  RevokedAgentToken,
  TaggedAgents,
} from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import { apiErrorFromDatabase, describeDatabaseError, type DatabaseError } from '../_shared/postgrest.ts';
import type { UserClient } from '../_shared/caller.ts';
import type { RegistryInput } from './registry_input.ts';

/** What a registry route answers (docs/api.md), as @agent-status/domain defines it for the function's clients. */
export type RegistryResult =
  | CreatedAgent
  | AgentSettings
  | DeletedAgent
  | IssuedAgentToken
  | RevokedAgentToken
  | TaggedAgents;

export async function runRegistry(
  client: UserClient,
  input: RegistryInput,
  log: (message: string) => void,
): Promise<RegistryResult> {
  const fail = (response: { error: DatabaseError | null; status: number }) => {
    if (response.error) throw registryError(input, response.error, response.status, log);
  };
  switch (input.action) {
    case 'create': {
      const response = await client.rpc('create_agent', {
        p_agent_name: input.agentName,
        ...(input.settings.description != null ? { p_description: input.settings.description } : {}),
        ...(input.settings.heartbeat_interval_seconds !== undefined
          ? { p_heartbeat_interval_seconds: input.settings.heartbeat_interval_seconds }
          : {}),
        ...(input.settings.offline_after_seconds != null
          ? { p_offline_after_seconds: input.settings.offline_after_seconds }
          : {}),
      });
      fail(response);
      const row = single(response.data);
      return {
        agent_name: row.agent_name,
        id: row.id,
        desired_state: row.desired_state,
        generation: Number(row.generation),
      };
    }
    case 'update': {
      const changes = { ...input.settings, ...(input.newName !== undefined ? { new_name: input.newName } : {}) };
      const response = await client.rpc('update_agent', { p_agent_name: input.agentName, p_changes: changes });
      fail(response);
      const row = single(response.data);
      return {
        id: row.id,
        agent_name: row.agent_name,
        description: row.description,
        heartbeat_interval_seconds: row.heartbeat_interval_seconds,
        offline_after_seconds: row.offline_after_seconds,
        effective_offline_after_seconds: row.effective_offline_after_seconds,
      };
    }
    case 'delete': {
      const response = await client.rpc('delete_agent', { p_agent_name: input.agentName });
      fail(response);
      return { agent_name: input.agentName, deleted: true };
    }
    case 'issue-token': {
      const response = await client.rpc('issue_agent_token', {
        p_agent_name: input.agentName,
        ...(input.label ? { p_label: input.label } : {}),
      });
      fail(response);
      const row = single(response.data);
      return { token_id: row.token_id, agent_name: row.agent_name, token: row.token };
    }
    case 'revoke-token': {
      const response = await client.rpc('revoke_agent_token', { p_token_id: input.tokenId });
      fail(response);
      // false: nothing was revoked now — it was revoked before (it is revoked: 200), or there is no such token (404).
      if (response.data === false) {
        const known = await client.from('agent_tokens').select('id').eq('id', input.tokenId).maybeSingle();
        fail(known);
        if (!known.data) throw new ApiError('token_not_found', `There is no agent token with id ${input.tokenId}.`);
      }
      return { token_id: input.tokenId, revoked: true };
    }
    case 'tag': {
      const response = await client.rpc('tag_agents', {
        p_agent_names: input.agentNames,
        p_add: input.add,
        p_remove: input.remove,
      });
      fail(response);
      return { agents: response.data ?? [] };
    }
  }
}

function single<T>(data: T[] | null): T {
  const row = data?.[0];
  if (!row) throw new ApiError('internal', 'The request failed unexpectedly. It has been logged.');
  return row;
}

/** The function's error for a database error of a registry call: the SQL functions' own messages are meant for people. */
function registryError(
  input: RegistryInput,
  error: DatabaseError,
  status: number,
  log: (message: string) => void,
): ApiError {
  switch (error.code) {
    case 'PT404':
      if (input.action === 'tag')
        return new ApiError('agent_not_found', `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`);
      if (input.action !== 'revoke-token')
        return new ApiError('agent_not_found', `There is no agent named "${input.agentName}".`);
      break;
    case '23505': {
      const name = input.action === 'update' ? input.newName : input.action === 'create' ? input.agentName : undefined;
      return new ApiError(
        'agent_exists',
        name ? `An agent named "${name}" already exists.` : 'An agent with that name already exists.',
      );
    }
    case '22023':
      return new ApiError('invalid_field', `${error.message}.`);
    case '23514':
      return new ApiError('invalid_field', 'A value is outside its allowed range (docs/api.md lists them).');
  }
  const apiError = apiErrorFromDatabase(error, status);
  if (apiError.code === 'internal' || apiError.code === 'backend_unavailable') {
    log(`${input.action} failed: ${describeDatabaseError(error, status)}`);
  }
  return apiError;
}
