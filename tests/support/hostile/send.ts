// Sends one hostile case and reads the answer as a client would, without assuming it is JSON.
import type { HostileCase } from './cases.ts';

export interface HostileAnswer {
  status: number;
  contentType: string;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export async function send(baseUrl: string, c: HostileCase): Promise<HostileAnswer> {
  const response = await fetch(baseUrl + c.path, {
    method: c.method,
    headers: c.headers,
    body: typeof c.body === 'string' || c.body === undefined ? c.body : new Uint8Array(c.body),
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}

/** The human-readable message of any of the stack's error shapes (PostgREST, GoTrue, Functions, gateway). */
export function errorMessage(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const body = json as { message?: unknown; msg?: unknown; error?: { message?: unknown } | unknown };
  const nested =
    typeof body.error === 'object' && body.error !== null ? (body.error as { message?: unknown }).message : undefined;
  const message = [body.message, body.msg, nested].find((m) => typeof m === 'string' && m.trim() !== '');
  return message as string | undefined;
}
