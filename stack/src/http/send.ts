import http, { type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { endAfterDiscard } from './body.ts';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendText(res, status, body === undefined ? '' : JSON.stringify(body), headers);
}

/** Sends a body that is already JSON text (e.g. rendered by Postgres). */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  endAfterDiscard(res, res.req?.method === 'HEAD' ? undefined : text);
}

/** Answers a request that never became a ServerResponse (a refused WebSocket upgrade, an unparsable request) and closes the socket. */
export function sendJsonOnSocket(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Access-Control-Allow-Origin: *\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
