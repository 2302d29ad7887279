// Calls to the server and what their failures say. REST errors (PostgREST: SQLSTATE in `code`) and
// Edge Function errors (`{ "error": { "code", "message" } }`) both become a CliError that carries the
// server's own message and HTTP status, which the CLI prints and exits 1 with.
import type { Result } from '@agent-status/client';
import { CliError } from './errors.ts';

interface RestFailure {
  error: { message: string; code?: string } | null;
  status: number;
}

/** The data of a REST call, or a CliError with the server's message. */
export function restResult<T>(response: RestFailure & { data: T }, what: string): NonNullable<T> {
  const { error, status, data } = response;
  if (!error) return data as NonNullable<T>;
  throw restError(error, status, what);
}

/** The value of a REST read made through @agent-status/client (readFleet), or the CliError restResult would throw. */
export function restValue<T>(result: Result<T>, what: string): T {
  if (result.ok) return result.value;
  throw restError(result.error, result.error.status, what);
}

function restError(error: { message: string; code?: string }, status: number, what: string): CliError {
  if (status === 0) return new CliError(`${what}: cannot reach the server (${error.message})`, 'unreachable', 0);
  if (status === 401 && error.code !== '42501' && error.code !== 'PT401') {
    return new CliError(
      `${what}: your session is invalid or has expired; run \`agent-status login\``,
      'unauthorized',
      401,
    );
  }
  const code =
    error.code === '42501' ? 'forbidden' : error.code === 'PT404' ? 'not_found' : error.code || `http_${status}`;
  // PostgREST answers 42501 with 401 for anon and 403 for a signed-in user; both are "not allowed".
  return new CliError(`${what}: ${error.message}`, code, code === 'forbidden' ? 403 : status);
}

/** The value of a call to the `agents` Edge Function (@agent-status/client), or a CliError with the function's message and status. */
export function agentsFunctionValue<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const { code, message, status } = result.error;
  if (status === 0) throw new CliError(`cannot reach the agents function: ${message}`, 'unreachable', 0);
  throw new CliError(`${message} (HTTP ${status})`, code, status);
}
