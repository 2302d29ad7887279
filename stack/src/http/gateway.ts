import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Keys } from '../keys/index.ts';
import type { StackModule } from '../types.ts';
import { discardBody, MAX_BODY_BYTES } from './body.ts';
import { checkApiKey, needsApiKey, substituteAuthorization, substitutesAuthorization } from './apikey.ts';
import { setCorsHeaders } from './cors.ts';
import { sendJson, sendJsonOnSocket } from './send.ts';

export const MODULE_PREFIXES = ['/rest/v1', '/auth/v1', '/realtime/v1', '/functions/v1'] as const;
export type ModulePrefix = (typeof MODULE_PREFIXES)[number];

export interface Gateway {
  server: http.Server;
  mount(prefix: ModulePrefix, module: StackModule): void;
}

/**
 * One HTTP server in front of the modules, doing what hosted Supabase's gateway does before a
 * request reaches PostgREST, GoTrue, Realtime or the Edge Runtime: CORS, the apikey check (and the
 * role JWT in place of an API key in Authorization), a body cap.
 */
export function createGateway(keys: Keys, log: (scope: string, message: string) => void): Gateway {
  const modules = new Map<string, StackModule>();

  const route = (url: string | undefined) => {
    const pathname = new URL(url ?? '/', 'http://stack').pathname;
    const prefix = MODULE_PREFIXES.find((p) => pathname === p || pathname.startsWith(`${p}/`));
    return { pathname, prefix, rest: prefix ? pathname.slice(prefix.length) : '' };
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    setCorsHeaders(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(200, { 'Content-Length': '0' }).end();
      return;
    }
    const { pathname, prefix, rest } = route(req.url);
    const module = prefix && modules.get(prefix);
    // The server listens before the modules are mounted (their ctx needs the final URL). A request in
    // that window must be retried, not told "not found": clients drop reports on a 404, keep them on a 503.
    if (prefix && !module)
      return sendJson(res, 503, { message: 'service is starting, try again' }, { 'Retry-After': '1' });
    if (!prefix || !module?.handle) return sendJson(res, 404, { message: 'no Route matched with those values' });
    const check = await checkApiKey(req, keys, needsApiKey(pathname));
    if (!check.ok) return sendJson(res, 401, { message: check.message });
    if (check.key && check.claims && substitutesAuthorization(pathname))
      await substituteAuthorization(req, keys, check.key, check.claims);
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      // Answer at once, then read and drop what the client is still sending (up to a cap): closing now
      // would make it see a broken pipe instead of this answer.
      discardBody(req);
      return sendJson(res, 413, { message: 'Request size limit exceeded' });
    }
    await module.handle(req, res, rest);
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const { prefix } = route(req.url);
    const module = prefix && modules.get(prefix);
    if (!module?.upgrade) return sendJsonOnSocket(socket, 404, { message: 'no Route matched with those values' });
    const check = await checkApiKey(req, keys, true);
    if (!check.ok) return sendJsonOnSocket(socket, 401, { message: check.message });
    module.upgrade(req, socket, head);
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error) => {
      // Never leak internals: log the stack, answer a bare 500.
      log('gateway', `${req.method} ${req.url} failed: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'internal server error' });
      else res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    onUpgrade(req, socket, head).catch((error) => {
      log('gateway', `upgrade ${req.url} failed: ${(error as Error)?.stack ?? String(error)}`);
      socket.destroy();
    });
  });
  // Requests Node cannot parse (a URL or headers over its 16 KB limit, bad framing) never reach
  // onRequest: answer them in JSON too instead of dropping the connection without a word.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    sendJsonOnSocket(socket, tooLarge ? 431 : 400, {
      message: tooLarge ? 'Request URL or headers too large' : 'Malformed HTTP request',
    });
  });

  return { server, mount: (prefix, module) => void modules.set(prefix, module) };
}
