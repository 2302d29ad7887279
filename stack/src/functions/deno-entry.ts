// Runs one Edge Function module unchanged under Deno, the way the hosted runtime does: the
// module calls Deno.serve(handler) once. This wrapper replaces Deno.serve before importing
// it, so that it listens on a free loopback port and announces that port on stdout for the
// stack (see function-process.ts), whatever port or options the module asked for.
//
// Usage: deno run --allow-net --allow-env --allow-read deno-entry.ts <file URL of index.ts>
// Written against a minimal view of the Deno namespace so that Node's tsc checks it too.

import { LISTENING_MARKER } from './protocol.ts';

type Handler = (request: Request, info: unknown) => Response | Promise<Response>;
interface ServeOptions {
  handler?: Handler;
  port?: number;
  hostname?: string;
  onListen?: (address: { port: number; hostname: string }) => void;
  [option: string]: unknown;
}
interface DenoNamespace {
  args: string[];
  stdin: { readable: ReadableStream<Uint8Array> };
  serve(options: ServeOptions, handler?: Handler): unknown;
  exit(code: number): never;
  addSignalListener(signal: 'SIGINT', listener: () => void): void;
}

const deno = (globalThis as unknown as { Deno?: DenoNamespace }).Deno;

async function main(denoNs: DenoNamespace) {
  const moduleUrl = denoNs.args[0];
  if (!moduleUrl) {
    console.error('deno-entry: pass the file URL of the function module');
    denoNs.exit(2);
  }
  // A terminal's Ctrl-C reaches the whole process group; the stack decides when functions stop
  // (SIGTERM from function-process.ts), so a Ctrl-C must not kill one first and trigger a restart.
  denoNs.addSignalListener('SIGINT', () => {});
  exitWithTheStack(denoNs);
  const realServe = denoNs.serve.bind(denoNs);
  let served = false;
  denoNs.serve = (first: ServeOptions | Handler, second?: Handler) => {
    if (served) throw new Error('Deno.serve was called twice; an Edge Function serves exactly one handler.');
    served = true;
    const options: ServeOptions = typeof first === 'function' ? {} : { ...first };
    const handler = typeof first === 'function' ? first : (second ?? options.handler);
    if (!handler) throw new Error('Deno.serve was called without a handler.');
    delete options.handler;
    return realServe(
      {
        ...options,
        hostname: '127.0.0.1',
        port: 0,
        onListen: ({ port }) => console.log(`${LISTENING_MARKER} ${port}`),
      },
      handler,
    );
  };
  await import(moduleUrl);
}

/**
 * The stack keeps a pipe to this process's stdin open and never writes to it. When the stack's process
 * ends in any way — SIGKILL included, when it can send no SIGTERM — the pipe closes and reading reaches
 * its end: the function exits instead of living on as an orphan.
 */
function exitWithTheStack(denoNs: DenoNamespace) {
  void (async () => {
    try {
      const reader = denoNs.stdin.readable.getReader();
      while (!(await reader.read()).done);
    } catch {
      // A stdin that cannot be read is as good as closed.
    }
    denoNs.exit(0);
  })();
}

if (deno) await main(deno);
