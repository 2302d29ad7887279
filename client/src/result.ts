// What every call of this package resolves to: its value, or why it failed. Calls never throw, so a
// refusal and an unreachable server take the same path in the caller, which words them for its users.

/** Why a call failed. */
export interface Failure {
  /**
   * The server's own code (the Edge Functions' `agent_not_found`, `forbidden`, …; PostgREST's SQLSTATE),
   * `http_<status>` when it answered without one, `unreachable` when no answer arrived.
   */
  code: string;
  /** The server's message for people, or what the transport said ("the server answered 502"). */
  message: string;
  /** The HTTP status; 0 when no answer arrived. */
  status: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

/** A supabase-js REST or RPC response (success: `error` null) as a Result. */
export function restResult<T>(
  response:
    | { data: T; error: null; status: number }
    | { data: unknown; error: { message: string; code?: string }; status: number },
): Result<T> {
  if (response.error === null) return { ok: true, value: response.data };
  return { ok: false, error: restFailure(response.error, response.status) };
}

/** A PostgREST error and the HTTP status it came with (0: no answer) as a Failure. */
export function restFailure(error: { message?: string; code?: string }, status: number): Failure {
  return {
    code: error.code || (status ? `http_${status}` : 'unreachable'),
    message: error.message || `the server answered ${status}`,
    status,
  };
}
