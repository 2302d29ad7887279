// Calls to the server and what their failures say. REST errors (PostgREST: SQLSTATE in `code`) and
// Edge Function errors (`{ "error": { "code", "message" } }`) both become a CliError that carries the
// server's own message and HTTP status, which the CLI prints and exits 1 with.
import { FunctionsFetchError, FunctionsHttpError, FunctionsRelayError } from '@supabase/supabase-js';
import type { Client } from './client.ts';
import { CliError } from './errors.ts';

interface RestFailure {
  error: { message: string; code?: string } | null;
  status: number;
}

/** The data of a REST call, or a CliError with the server's message. */
export function restResult<T>(response: RestFailure & { data: T }, what: string): NonNullable<T> {
  const { error, status, data } = response;
  if (!error) return data as NonNullable<T>;
  if (status === 0) throw new CliError(`${what}: cannot reach the server (${error.message})`, 'unreachable', 0);
  if (status === 401 && error.code !== '42501' && error.code !== 'PT401') {
    throw new CliError(
      `${what}: your session is invalid or has expired; run \`agent-status login\``,
      'unauthorized',
      401,
    );
  }
  const code =
    error.code === '42501' ? 'forbidden' : error.code === 'PT404' ? 'not_found' : error.code || `http_${status}`;
  // PostgREST answers 42501 with 401 for anon and 403 for a signed-in user; both are "not allowed".
  throw new CliError(`${what}: ${error.message}`, code, code === 'forbidden' ? 403 : status);
}

/** POSTs to the `agents` Edge Function (e.g. "stop", "start-all"); the future registry routes go here too. */
export async function invokeAgentsFunction<T>(
  client: Client,
  route: string,
  body: Record<string, unknown>,
): Promise<T> {
  const { data, error } = await client.functions.invoke(`agents/${route}`, { method: 'POST', body });
  if (!error) return data as T;
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    const parsed = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
      message?: string;
    } | null;
    const message = parsed?.error?.message ?? parsed?.message ?? `the server answered ${response.status}`;
    throw new CliError(
      `${message} (HTTP ${response.status})`,
      parsed?.error?.code ?? `http_${response.status}`,
      response.status,
    );
  }
  if (error instanceof FunctionsFetchError || error instanceof FunctionsRelayError) {
    throw new CliError(`cannot reach the agents function: ${error.message}`, 'unreachable', 0);
  }
  throw new CliError(String((error as Error).message ?? error), 'failed');
}
