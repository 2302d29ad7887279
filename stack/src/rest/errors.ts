/** PostgREST's error body: every failure of /rest/v1 answers with this shape. */
export interface RestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/** An error that already knows its HTTP status (parse errors, unknown tables, JWT problems). */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
  get body(): RestErrorBody {
    return { code: this.code, message: this.message, details: this.details, hint: this.hint };
  }
}

export const parseError = (message: string, details: string | null = null) =>
  new RestError(400, 'PGRST100', message, details);

/**
 * PostgREST's mapping from SQLSTATE to HTTP status (PostgREST docs, "Errors"). 42501 depends on
 * whether the request carried a user: anon gets 401 (sign in), anyone else 403 (not allowed).
 */
export function statusForSqlState(code: string, anonymous: boolean): number {
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
  const exact: Record<string, number> = {
    '42501': anonymous ? 401 : 403,
    '23503': 409,
    '23505': 409,
    '25006': 405,
    P0001: 400,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
  };
  if (code in exact) return exact[code];
  const byClass: Record<string, number> = {
    '08': 503,
    '09': 500,
    '0L': 403,
    '0P': 403,
    '25': 500,
    '28': 403,
    '2D': 500,
    '38': 500,
    '39': 500,
    '3B': 500,
    '40': 500,
    '53': 503,
    '54': 500,
    '55': 500,
    '57': 500,
    '58': 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

interface PgLikeError {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
}

/** Turns anything thrown while serving a request into status + PostgREST body; unknown errors hide their text. */
export function toRestError(
  error: unknown,
  anonymous: boolean,
): { status: number; body: RestErrorBody; internal: boolean } {
  if (error instanceof RestError) return { status: error.status, body: error.body, internal: false };
  const pg = error as PgLikeError;
  if (pg && typeof pg.code === 'string' && /^[0-9A-Z]{5}$/.test(pg.code)) {
    return {
      status: statusForSqlState(pg.code, anonymous),
      body: {
        code: pg.code,
        message: String(pg.message ?? ''),
        details: typeof pg.detail === 'string' ? pg.detail : null,
        hint: typeof pg.hint === 'string' ? pg.hint : null,
      },
      internal: false,
    };
  }
  return {
    status: 500,
    body: { code: 'PGRST000', message: 'internal server error', details: null, hint: null },
    internal: true,
  };
}
