import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthError, errors } from './errors.ts';

/** The API version GoTrue stamps on responses; auth-js reads error codes from `code` when it sees it. */
export const API_VERSION = '2024-01-01';
const MAX_BODY_BYTES = 64 * 1024;

/** Reads a JSON object body. An empty body is `{}` (auth-js sends none for /logout). */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw errors.payloadTooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.badJson();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.badJson();
  return parsed as Record<string, unknown>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-supabase-api-version': API_VERSION,
    // Tokens must never sit in a shared cache.
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { 'x-supabase-api-version': API_VERSION });
  res.end();
}

export function sendError(res: ServerResponse, error: AuthError): void {
  // A refused oversized body may still be arriving: close the connection after the answer so the
  // rest of it is not read as the next request on a kept-alive socket.
  sendJson(res, error.status, error.toBody(), error.status === 413 ? { connection: 'close' } : {});
}

/** The caller's address for per-client limits (the stack is the edge: no proxy headers trusted). */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
