// The dashboard's words for a failed call (@agent-status/client's Failure): the server's own message
// when it sent one, and a sentence for people when it did not or could not answer.
import type { Failure, Result } from '@agent-status/client';

const STATUS_MESSAGES: Record<number, string> = {
  401: 'Your session has expired. Sign in again.',
  403: 'Only operators can send commands.',
  404: 'That agent no longer exists.',
};

export function failureMessage({ code, message, status }: Failure): string {
  if (code === 'unreachable') return 'Could not reach the server. Check the connection and try again.';
  if (code === `http_${status}`) return STATUS_MESSAGES[status] ?? `The server answered ${status}.`;
  return message;
}

/** The result, its failure worded for the dashboard. */
export async function worded<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  const result = await call;
  return result.ok ? result : { ok: false, error: { ...result.error, message: failureMessage(result.error) } };
}
