import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest request body the gateway accepts (hosted Supabase's API gateway also caps bodies). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How much of a refused body the stack still reads (and throws away) after answering 413. Closing while the
 * client is still sending makes it see a broken pipe or a reset instead of the answer (Python's urllib
 * sends the whole body before it reads anything); past this, the connection is cut.
 */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

const discarding = new WeakMap<IncomingMessage, Promise<void>>();

/**
 * Reads the rest of `req` and drops it; destroys the connection once more than `cap` bytes came. Answers
 * sent meanwhile through send.ts end only once the body is read (endAfterDiscard), because Node closes a
 * connection the client asked to close (`Connection: close`, as urllib sends) as soon as the answer ends,
 * with the rest of the body unread: the client then gets a reset.
 */
export function discardBody(req: IncomingMessage, cap = MAX_DISCARDED_BYTES): void {
  if (discarding.has(req) || req.complete || req.destroyed) return;
  let discarded = 0;
  discarding.set(
    req,
    new Promise<void>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        discarded += chunk.length;
        if (discarded > cap) req.socket.destroy();
      });
      req.on('end', resolve);
      req.on('close', resolve);
      req.on('error', () => resolve());
    }),
  );
  req.resume();
}

/** Ends `res` (with `chunk`) now, or once the body of its request has been discarded. */
export function endAfterDiscard(res: ServerResponse, chunk?: string | Buffer): void {
  const pending = res.req && discarding.get(res.req);
  if (!pending || res.req.complete) {
    res.end(chunk);
    return;
  }
  if (chunk !== undefined) res.write(chunk);
  void pending.then(() => res.end());
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** Reads the whole body, refusing (and discarding the rest) once it exceeds `limit` bytes. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  // Events rather than `for await`: leaving an async iterator early destroys the stream, and with it the
  // connection, before the 413 can be sent.
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      cleanup();
      // The caller answers 413; the rest is read and dropped so the client gets to read that answer.
      discardBody(req);
      reject(new BodyTooLargeError(limit));
    };
    const onEnd = () => (cleanup(), resolve(Buffer.concat(chunks)));
    const onError = (error: Error) => (cleanup(), reject(error));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * The body parsed as JSON; an empty body is `{}` (clients send none for some POSTs, e.g. auth-js's
 * logout). Throws BodyTooLargeError, or SyntaxError for text that is not JSON: each API answers those its own way.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = (await readBody(req, limit)).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}
