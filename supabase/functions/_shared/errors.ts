// Every error an Edge Function answers with, defined once: a stable machine code, its HTTP
// status, and a message a person understands. Clients branch on `code`, never on `message`.
import { jsonResponse } from './json.ts';

export const ERROR_STATUS = {
  bad_json: 400,
  invalid_agent_name: 400,
  invalid_channel_id: 400,
  invalid_field: 400,
  unauthorized: 401,
  forbidden: 403,
  agent_not_found: 404,
  not_found: 404,
  channel_not_found: 404,
  token_not_found: 404,
  method_not_allowed: 405,
  agent_exists: 409,
  payload_too_large: 413,
  internal: 500,
  backend_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every error: `{ "error": { "code": "…", "message": "…" } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** Thrown anywhere inside a handler; turned into a response by `errorResponse`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.headers = headers;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function errorResponse(error: ApiError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  return jsonResponse(body, error.status, error.headers);
}
