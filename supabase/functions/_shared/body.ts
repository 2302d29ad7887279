// Reads a request body as a JSON object without ever holding more than `maxBytes` of it:
// a declared Content-Length over the limit is refused before reading, and a body that
// streams (chunked, or lying about its length) is cut off as soon as it passes the limit.
import { ApiError } from './errors.ts';

export type JsonObject = Record<string, unknown>;

export async function readJsonObject(req: Request, maxBytes: number): Promise<JsonObject> {
  const text = await readText(req, maxBytes);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError('bad_json', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('bad_json', 'The request body must be a JSON object, e.g. {"agent_name": "Content Collector"}.');
  }
  return parsed as JsonObject;
}

async function readText(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new ApiError('payload_too_large', `The request body is larger than the limit of ${maxBytes} bytes.`);
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return '';

  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('bad_json', 'The request body is not valid UTF-8 text.');
  }
}
