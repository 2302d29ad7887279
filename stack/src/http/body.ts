import type { IncomingMessage } from 'node:http';

/** The largest request body the gateway accepts (hosted Supabase's API gateway also caps bodies). */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** Reads the whole body, refusing (and discarding the rest) once it exceeds `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The body parsed as JSON; an empty body is `{}` (clients send none for some POSTs, e.g. auth-js's
 * logout). Throws BodyTooLargeError, or SyntaxError for text that is not JSON: each API answers those its own way.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = (await readBody(req, limit)).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}
