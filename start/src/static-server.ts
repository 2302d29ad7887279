import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CACHE_HASHED_ASSETS, CACHE_OTHER_FILES, securityHeaders } from '@agent-status/web/hosting';

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

/** The dashboard's Content-Security-Policy for the stack it talks to: the one static hosts get too (web/hosting.ts). */
export { contentSecurityPolicy } from '@agent-status/web/hosting';

/** Serves a built single-page app: files as they are, any other path gets index.html. */
export async function serveStatic(opts: {
  dir: string;
  port: number;
  host: string;
  stackUrl: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve(opts.dir);
  const headers = securityHeaders(opts.stackUrl);
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
      ...headers,
      'Cache-Control': hashed ? CACHE_HASHED_ASSETS : CACHE_OTHER_FILES,
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
