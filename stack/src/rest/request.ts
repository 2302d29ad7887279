import type { IncomingMessage } from 'node:http';
import { errors as joseErrors } from 'jose';
import type { Claims, StackContext } from '../types.ts';
import { readJsonBody } from '../http/body.ts';
import { RestError, parseError } from './errors.ts';
import { EXPOSED_SCHEMA } from './catalog.ts';

/**
 * The caller's claims: the Bearer token if any (the gateway has put a role JWT there in place of an
 * API key), else what the apikey grants.
 */
export async function requestClaims(req: IncomingMessage, ctx: StackContext): Promise<Claims> {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer) {
    const apikey = header(req, 'apikey');
    if (!apikey) return { role: 'anon' };
    const claims = await ctx.keys.apiKeyClaims(apikey);
    if (!claims)
      throw new RestError(401, 'PGRST301', 'JWT could not be verified', 'the apikey is no key of this project');
    return claims;
  }
  try {
    return await ctx.keys.verify(bearer);
  } catch (error) {
    const message = error instanceof joseErrors.JWTExpired ? 'JWT expired' : 'JWT could not be verified';
    throw new RestError(401, 'PGRST301', message, (error as Error).message);
  }
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Only the `public` schema is exposed, as in this project's config.toml. */
export function checkProfile(req: IncomingMessage): void {
  const profile = header(req, 'accept-profile') ?? header(req, 'content-profile');
  if (profile && profile !== EXPOSED_SCHEMA) {
    throw new RestError(406, 'PGRST106', `The schema must be one of the following: ${EXPOSED_SCHEMA}`, null, null);
  }
}

export function wantsObject(req: IncomingMessage): boolean {
  return (header(req, 'accept') ?? '').includes('application/vnd.pgrst.object+json');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  try {
    return await readJsonBody(req);
  } catch (error) {
    if (error instanceof SyntaxError) throw new RestError(400, 'PGRST102', 'Empty or invalid json', error.message);
    throw error;
  }
}

export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw parseError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** PostgREST's singular-response check: Accept: application/vnd.pgrst.object+json wants exactly one row. */
export function singleRowError(rows: number): RestError {
  return new RestError(
    406,
    'PGRST116',
    'JSON object requested, multiple (or no) rows returned',
    `The result contains ${rows} rows`,
  );
}

/** `[{…}]` → `{…}` for singular responses (the JSON text comes from Postgres). */
export function unwrapSingle(arrayJson: string): string {
  return JSON.stringify((JSON.parse(arrayJson) as unknown[])[0]);
}
