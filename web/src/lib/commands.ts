import type { AgentCommand, CommandResultRow } from '@agent-status/domain';
import type { DashboardClient } from './supabase.ts';

export type CommandRoute = AgentCommand | 'start-all' | 'stop-all';
/** What the `agents` function answers per agent: command_agents' row. */
export type CommandAck = CommandResultRow;
export type CommandError = { code: string; message: string; status?: number };
export type CommandOutcome = { ok: true; agents: CommandAck[] } | { ok: false; error: CommandError };

/** Calls the `agents` Edge Function for one agent (a name), a set (names) or all (none) and turns every failure into one `{ code, message }` shape. */
export async function sendCommand(
  client: DashboardClient,
  route: CommandRoute,
  target?: string | readonly string[],
): Promise<CommandOutcome> {
  try {
    // A set of agents travels as one request ({ agent_names }): one set-based statement on the server.
    const body =
      target === undefined ? {} : typeof target === 'string' ? { agent_name: target } : { agent_names: [...target] };
    const { data, error } = await client.functions.invoke(`agents/${route}`, { method: 'POST', body });
    if (error) return { ok: false, error: await describeFunctionError(error) };
    const agents: CommandAck[] = Array.isArray(data?.agents) ? data.agents : data ? [data] : [];
    return { ok: true, agents };
  } catch (thrown) {
    return { ok: false, error: { code: 'unexpected', message: String((thrown as Error)?.message ?? thrown) } };
  }
}

/** The `{ code, message }` of a failed `functions.invoke`: the function's own error body when it sent one. */
export async function describeFunctionError(error: unknown): Promise<CommandError> {
  // FunctionsHttpError carries the Response; the function's body is { error: { code, message } }.
  const response = (error as { context?: unknown }).context;
  if (response instanceof Response) {
    const status = response.status;
    try {
      const body = await response.clone().json();
      if (body?.error?.message) return { code: String(body.error.code ?? status), message: body.error.message, status };
    } catch {
      /* not JSON: fall through to a message from the status */
    }
    return { code: String(status), message: STATUS_MESSAGES[status] ?? `The server answered ${status}.`, status };
  }
  return { code: 'unreachable', message: 'Could not reach the server. Check the connection and try again.' };
}

const STATUS_MESSAGES: Record<number, string> = {
  401: 'Your session has expired. Sign in again.',
  403: 'Only operators can send commands.',
  404: 'That agent no longer exists.',
};
