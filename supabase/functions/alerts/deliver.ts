// One outbound request: POST with a timeout, redirects not followed (a public URL must not bounce
// the request to an internal one), any 2xx is success. Only a short excerpt of an error answer is
// kept; the body is never stored whole.
export interface SendResult {
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

export const SEND_TIMEOUT_MS = 10_000;
const EXCERPT_CHARS = 300;

export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  fetchFn: typeof fetch = fetch,
): Promise<SendResult> {
  try {
    const response = await fetchFn(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'AgentStatus-Alerts/1', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => {});
      return { ok: true, status_code: response.status, error: null };
    }
    const excerpt = await readExcerpt(response);
    const where = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return {
      ok: false,
      status_code: response.status,
      error: `HTTP ${response.status}${where}${excerpt ? `: ${excerpt}` : ''}`,
    };
  } catch (error) {
    const err = error as Error;
    const message = err.name === 'TimeoutError' ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : err.message;
    return { ok: false, status_code: null, error: message.slice(0, EXCERPT_CHARS) };
  }
}

/** The first characters of an answer's body, read no further. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // an answer that breaks off keeps what arrived
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
}
