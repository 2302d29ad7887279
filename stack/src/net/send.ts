// One queued request sent as pg_net sends it: method, URL, headers and body as queued, within the
// request's timeout, redirects not followed. The answer is recorded as pg_net records it
// (net._http_response): status, content type, headers, body as text — or timed_out / error_msg.

export interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, unknown> | null;
  /** base64, or null for no body */
  body: string | null;
  timeoutMs: number;
}

export interface RecordedResponse {
  id: string;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean | null;
  error_msg: string | null;
}

/** pg_net keeps whole bodies; the stack keeps at most this much of one (a difference, see stack/README.md). */
const MAX_CONTENT_BYTES = 1024 * 1024;

export async function sendQueued(request: QueuedRequest): Promise<RecordedResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {}))
    if (value !== null && value !== undefined) headers[name] = String(value);
  const base = { id: request.id, status_code: null, content_type: null, headers: null, content: null };
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === null || request.method === 'GET' ? undefined : Buffer.from(request.body, 'base64'),
      redirect: 'manual',
      signal: AbortSignal.timeout(Math.max(request.timeoutMs, 1)),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    return {
      id: request.id,
      status_code: response.status,
      content_type: response.headers.get('content-type'),
      headers: Object.fromEntries(response.headers),
      content: bytes.subarray(0, MAX_CONTENT_BYTES).toString('utf8'),
      timed_out: false,
      error_msg: null,
    };
  } catch (error) {
    const err = error as Error;
    if (err.name === 'TimeoutError')
      return { ...base, timed_out: true, error_msg: `Timeout of ${request.timeoutMs} ms reached` };
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    return { ...base, timed_out: false, error_msg: cause ? `${err.message}: ${cause}` : err.message };
  }
}
