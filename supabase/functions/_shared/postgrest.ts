// Turns an error from a supabase-js database call into the function's own error codes.
// PostgREST reports SQL errors with the SQLSTATE in `code` and an HTTP status; supabase-js
// reports a network failure with status 0. Details (SQL text, hints) are logged, never sent.
import { ApiError } from './errors.ts';

export interface DatabaseError {
  code?: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

const INVALID_TOKEN_CODES = new Set(['PGRST300', 'PGRST301', 'PGRST302', 'PGRST303']);

export function apiErrorFromDatabase(error: DatabaseError, status: number): ApiError {
  const code = error.code ?? '';
  if (status === 401 || INVALID_TOKEN_CODES.has(code)) {
    return new ApiError('unauthorized', 'Your access token is invalid or has expired. Sign in again.');
  }
  if (code === '42501' || status === 403) {
    return new ApiError('forbidden', 'Only operators can do this. Ask an operator to change your role.');
  }
  if (
    status === 0 ||
    status === 502 ||
    status === 503 ||
    status === 504 ||
    code === 'PGRST000' ||
    code === 'PGRST001' ||
    code === 'PGRST002'
  ) {
    return new ApiError('backend_unavailable', 'The database is unreachable right now. Try again in a moment.');
  }
  return new ApiError('internal', 'The request failed unexpectedly. It has been logged.');
}

/** One log line with everything an operator needs to diagnose a database error. */
export function describeDatabaseError(error: DatabaseError, status: number): string {
  return [
    `status=${status}`,
    `code=${error.code ?? ''}`,
    `message=${error.message}`,
    error.details && `details=${error.details}`,
    error.hint && `hint=${error.hint}`,
  ]
    .filter(Boolean)
    .join(' ');
}
