import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readJsonBody as readJson } from '../http/body.ts';
import { sendJson as send } from '../http/send.ts';
import { type AuthError, errors } from './errors.ts';

/** The API version GoTrue stamps on responses; auth-js reads error codes from `code` when it sees it. */
export const API_VERSION = '2024-01-01';
const MAX_BODY_BYTES = 64 * 1024;

/** Reads a JSON object body. An empty body is `{}` (auth-js sends none for /logout). */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = await readJson(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw errors.payloadTooLarge();
    if (error instanceof SyntaxError) throw errors.badJson();
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.badJson();
  return parsed as Record<string, unknown>;
}

/** JSON as GoTrue sends it: with its API version, and never cached (the bodies hold tokens). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, body, { 'X-Supabase-Api-Version': API_VERSION, 'Cache-Control': 'no-store', ...headers });
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { 'x-supabase-api-version': API_VERSION });
  res.end();
}

export function sendError(res: ServerResponse, error: AuthError): void {
  // A refused oversized body is still being read and dropped (readBody → discardBody), so the client
  // gets this answer and the connection stays usable.
  sendJson(res, error.status, error.toBody(), error.headers);
}

/** The caller's address for per-client limits (the stack is the edge: no proxy headers trusted). */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
