// One outbound request to a receiver: the URL checked as the runtime parses it (receiver-address.ts),
// a name resolved and every address it resolves to checked, then the connection made to the checked
// address (http1.ts) — a DNS answer that changes in between cannot redirect it. POST with a timeout,
// redirects not followed (a public URL must not bounce the request to an internal one), any 2xx is
// success. Of an error answer only the status is kept and returned; a short excerpt of its body goes to
// the function's own log, never to the caller or the database.
import { lookup } from 'node:dns/promises';
import { type PinnedPost, type PostedAnswer, postPinned } from './http1.ts';
import { addressKind, destinationProblem, parseReceiverUrl, ReceiverUrlError } from './receiver-address.ts';

export interface SendResult {
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

/** How the sender reaches the network: name resolution and a POST to a chosen address (tests replace both). */
export interface Network {
  /** Every address (IPv4 and IPv6) the name resolves to. */
  resolve(host: string): Promise<string[]>;
  post(request: PinnedPost): Promise<PostedAnswer>;
}

export const realNetwork: Network = {
  resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address),
  post: postPinned,
};

export interface SendOptions {
  /** alert_settings.allow_private_urls: the deployment lets alerts reach private and loopback addresses. */
  allowPrivate: boolean;
  network: Network;
  log: (line: string) => void;
}

export const SEND_TIMEOUT_MS = 10_000;
const ERROR_CHARS = 300;
/** Of an error answer's body, this much goes to the function's log. */
const LOGGED_BODY_BYTES = 200;

export async function post(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  { allowPrivate, network, log }: SendOptions,
): Promise<SendResult> {
  const failed = (error: string): SendResult => ({ ok: false, status_code: null, error: error.slice(0, ERROR_CHARS) });
  try {
    const target = parseReceiverUrl(rawUrl);
    const refused = destinationProblem(target.host, target.kind, allowPrivate);
    if (refused) return failed(refused);
    const addresses = target.literal ? [target.host] : await resolved(network, target.host);
    if (addresses.length === 0) return failed(`url host "${target.host}" resolves to no address`);
    for (const address of addresses) {
      const problem = destinationProblem(`${target.host} → ${address}`, addressKind(address), allowPrivate);
      if (problem) return failed(problem);
    }
    const answer = await network.post({
      address: addresses[0],
      url: target.url,
      body,
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'AgentStatus-Alerts/1', ...headers },
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      keepBytes: LOGGED_BODY_BYTES,
    });
    if (answer.status >= 200 && answer.status < 300) return { ok: true, status_code: answer.status, error: null };
    if (answer.excerpt) log(`alerts: ${target.url.host} answered HTTP ${answer.status}: ${printable(answer.excerpt)}`);
    const where = answer.status >= 300 && answer.status < 400 ? ' (redirects are not followed)' : '';
    return { ok: false, status_code: answer.status, error: `HTTP ${answer.status}${where}` };
  } catch (error) {
    if (error instanceof ReceiverUrlError) return failed(error.message);
    const err = error as Error;
    return failed(err.name === 'TimeoutError' ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : err.message);
  }
}

async function resolved(network: Network, host: string): Promise<string[]> {
  try {
    return await network.resolve(host);
  } catch (error) {
    throw new Error(`could not resolve "${host}": ${(error as Error).message}`);
  }
}

/** A receiver's words for a log line: one line, no control characters. */
const printable = (text: string) =>
  text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim()
    .slice(0, LOGGED_BODY_BYTES);
