// Forwards one request to a function process and streams the answer back: method, headers,
// body and status pass through unchanged, except hop-by-hop headers.
import http, { type IncomingMessage, type ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import { discardBody, endAfterDiscard } from '../http/body.ts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function withoutHopByHop(headers: http.IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/**
 * Proxies `req` to 127.0.0.1:`port` at `targetPath` (path and query). Resolves 'refused' when
 * nothing could be sent (the process is gone or not yet back; the request is untouched and
 * may be retried), 'broken' when the connection failed after it was made (the process most
 * likely died mid-request; nothing has been answered yet), 'done' once a response is sent.
 */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  targetPath: string,
): Promise<'done' | 'refused' | 'broken'> {
  return new Promise((resolve) => {
    let connected = false;
    /** Once the function has answered, a failure sending it the rest of the body is no failure of the request. */
    let answered = false;
    // A fresh connection per request (no keep-alive): a pooled socket to a process that has
    // since died would fail requests that could otherwise be retried.
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: targetPath,
        headers: withoutHopByHop(req.headers),
        agent: false,
      },
      (upstreamRes) => {
        answered = true;
        const headers = withoutHopByHop(upstreamRes.headers);
        // The function answered before reading the whole body (e.g. 413): stop sending the rest to it, and
        // read and drop it here so the client, still sending, gets to read this answer.
        if (!req.complete) {
          req.unpipe(upstream);
          discardBody(req);
        }
        // Object form: headers the gateway already set (CORS) are replaced, not duplicated.
        res.writeHead(upstreamRes.statusCode ?? 502, headers);
        upstreamRes.pipe(res, { end: false });
        upstreamRes.on('end', () => endAfterDiscard(res));
        upstreamRes.on('error', () => res.destroy());
        res.on('close', () => {
          upstreamRes.destroy();
          resolve('done');
        });
      },
    );
    upstream.on('socket', (socket) => {
      socket.on('connect', () => {
        connected = true;
        req.pipe(upstream);
      });
    });
    upstream.on('error', () => {
      if (!answered) resolve(connected ? 'broken' : 'refused');
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
  });
}
