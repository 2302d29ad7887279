// One call of an Edge Function with the caller's session, for the dashboard and the CLI alike: the
// function's answer, or a Failure that carries its `{ "error": { "code", "message" } }` body.
import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';
import type { Failure, Result } from './result.ts';

/** A supabase-js client typed by the schema, signed in as the operator or viewer who calls. */
export type ProjectClient = SupabaseClient<Database>;

/** POSTs `body` as JSON to a function route ("agents/stop", "alerts/test"). */
export async function invoke<T>(client: ProjectClient, route: string, body: object): Promise<Result<T>> {
  try {
    const { data, error } = await client.functions.invoke<T>(route, { method: 'POST', body });
    if (error) return { ok: false, error: await failureOf(error) };
    // Without an error the answer is the function's JSON (functions-js types a failure's `error` as any,
    // so its union does not narrow `data` by itself).
    return { ok: true, value: data as T };
  } catch (thrown) {
    return { ok: false, error: unreachable(thrown) };
  }
}

async function failureOf(error: unknown): Promise<Failure> {
  // FunctionsFetchError (no answer) and FunctionsRelayError (the gateway could not reach the function)
  // carry no answer of the function.
  if (!(error instanceof FunctionsHttpError)) return unreachable(error);
  const response: Response = error.context;
  const body = await response
    .clone()
    .json()
    .catch(() => null);
  const code = body?.error?.code;
  const message = body?.error?.message ?? body?.message;
  return {
    code: typeof code === 'string' && code ? code : `http_${response.status}`,
    message: typeof message === 'string' && message ? message : `the server answered ${response.status}`,
    status: response.status,
  };
}

const unreachable = (error: unknown): Failure => ({
  code: 'unreachable',
  message: error instanceof Error ? error.message : String(error),
  status: 0,
});
