import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/** The dashboard may talk to the stack (HTTP and WebSocket) and load its own files, nothing else. */
export function contentSecurityPolicy(stackUrl: string): string {
  const ws = stackUrl.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    `connect-src 'self' ${stackUrl} ${ws}`,
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Serves a built single-page app: files as they are, any other path gets index.html. */
export async function serveStatic(opts: {
  dir: string;
  port: number;
  host: string;
  stackUrl: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve(opts.dir);
  const csp = contentSecurityPolicy(opts.stackUrl);
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const candidate = path.resolve(root, `.${pathname}`);
    const inside = candidate === root || candidate.startsWith(root + path.sep);
    const isFile =
      inside &&
      (await stat(candidate).then(
        (s) => s.isFile(),
        () => false,
      ));
    const file = isFile ? candidate : path.join(root, 'index.html');
    const hashed = isFile && pathname.startsWith('/assets/');
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // Vite's assets carry a content hash; index.html must always be fresh.
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
