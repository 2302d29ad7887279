// Runs a command through the set-based SQL function command_agents(): one statement for one
// agent or for all of them, with the caller's own permissions.
import type { AgentCommand, DesiredState } from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import { apiErrorFromDatabase, describeDatabaseError } from '../_shared/postgrest.ts';
import type { UserClient } from '../_shared/caller.ts';

export interface CommandResult {
  agent_name: string;
  desired_state: DesiredState;
  generation: number;
}

export async function runCommand(
  client: UserClient,
  command: AgentCommand,
  agentName: string | undefined,
  log: (message: string) => void,
): Promise<CommandResult[]> {
  const args = agentName === undefined ? { p_command: command } : { p_command: command, p_agent_name: agentName };
  const { data, error, status } = await client.rpc('command_agents', args);
  if (error) {
    if (error.code === 'PT404') {
      throw new ApiError('agent_not_found', `There is no agent named "${agentName}".`);
    }
    const apiError = apiErrorFromDatabase(error, status);
    if (apiError.code === 'internal' || apiError.code === 'backend_unavailable') {
      log(`command_agents(${command}) failed: ${describeDatabaseError(error, status)}`);
    }
    throw apiError;
  }
  return (data ?? []).map((row) => ({
    agent_name: row.agent_name,
    desired_state: row.desired_state,
    generation: Number(row.generation),
  }));
}
