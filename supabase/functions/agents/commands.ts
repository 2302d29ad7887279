// Runs a command through the set-based SQL functions, with the caller's own permissions: one agent
// through command_agents() (one row), several or all through command_agents_json(), the same UPDATE
// answered as one JSON value — PostgREST cuts a set-returning answer at max_rows (1,000), and a
// command cannot be paged (asking for the next page would command again).
import type { AgentCommand, CommandAnswer } from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import { apiErrorFromDatabase, describeDatabaseError } from '../_shared/postgrest.ts';
import type { UserClient } from '../_shared/caller.ts';
import type { CommandTarget } from './validate.ts';

export async function runCommand(
  client: UserClient,
  command: AgentCommand,
  target: CommandTarget,
  log: (message: string) => void,
): Promise<CommandAnswer[]> {
  const { data, error, status } =
    target.kind === 'one'
      ? await client.rpc('command_agents', { p_command: command, p_agent_name: target.name })
      : await client.rpc(
          'command_agents_json',
          target.kind === 'many' ? { p_command: command, p_agent_names: target.names } : { p_command: command },
        );
  if (error) {
    if (error.code === 'PT404') {
      throw new ApiError(
        'agent_not_found',
        target.kind === 'one' ? `There is no agent named "${target.name}".` : `${capitalized(error.message)}.`,
      );
    }
    if (error.code === '22023') throw new ApiError('invalid_agent_name', `${capitalized(error.message)}.`);
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

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
