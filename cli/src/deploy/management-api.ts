// The Supabase Management API (api.supabase.com), for what the Supabase CLI has no narrow command for:
// the Auth settings of a hosted project. Authorised with the personal access token.
import { CliError } from '../errors.ts';

export const MANAGEMENT_API = 'https://api.supabase.com';

export interface ApiRequest {
  method: 'GET' | 'PATCH';
  /** Path below the API's base, e.g. /v1/projects/<ref>/config/auth. */
  path: string;
  body?: unknown;
}

/** The request as the dry run prints it: method, URL, body; the token by its variable's name. */
export function describeRequest(base: string, request: ApiRequest): string[] {
  return [
    `${request.method} ${base}${request.path}`,
    '    Authorization: Bearer $SUPABASE_ACCESS_TOKEN',
    ...(request.body === undefined ? [] : [`    ${JSON.stringify(request.body)}`]),
  ];
}

export async function callManagementApi(base: string, token: string, request: ApiRequest): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(`${request.method} ${base}${request.path} failed: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok)
    throw new CliError(
      `${request.method} ${base}${request.path} answered ${response.status}: ${text.slice(0, 300)}`,
      'management_api',
      response.status,
    );
  return text ? JSON.parse(text) : null;
}
