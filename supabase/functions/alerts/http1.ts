// One HTTP/1.1 POST over a connection to an address chosen beforehand. fetch resolves the URL's host
// itself, at connect time, so an address checked before could be swapped by DNS in between (rebinding);
// here the TCP connection goes to the checked address, and TLS (https) still verifies the certificate
// for the URL's host name (Deno.startTls, as Postgres drivers connect from Edge Functions). Only the
// status line is needed of the answer; of an error answer's body at most `keepBytes` are read (for the
// function's own log), of a success none.

export interface PostedAnswer {
  status: number;
  /** The first bytes of an error answer's body (at most keepBytes), as text; '' for a 2xx. */
  excerpt: string;
}

export interface PinnedPost {
  /** The IP address to connect to (already checked). */
  address: string;
  url: URL;
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** How much of an error answer's body to read; 0 reads none. */
  keepBytes: number;
  /** Extra trusted certificates (tests with a local TLS receiver). */
  caCerts?: string[];
}

const MAX_HEAD_BYTES = 16 * 1024;
const encoder = new TextEncoder();

export async function postPinned(request: PinnedPost): Promise<PostedAnswer> {
  const { url, signal } = request;
  signal.throwIfAborted();
  const https = url.protocol === 'https:';
  const port = Number(url.port || (https ? 443 : 80));
  let conn: Deno.Conn = await Deno.connect({ hostname: request.address, port, transport: 'tcp' });
  const abort = () => conn.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    if (https)
      conn = await Deno.startTls(conn as Deno.TcpConn, {
        hostname: unbracketed(url.hostname),
        caCerts: request.caCerts,
      });
    await writeAll(conn, encoder.encode(requestText(request)));
    const { status, rest } = await readHead(conn);
    const keep = status >= 200 && status < 300 ? 0 : request.keepBytes;
    return { status, excerpt: await readExcerpt(conn, rest, keep) };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
    try {
      conn.close();
    } catch {
      // closed by the abort already
    }
  }
}

function requestText({ url, body, headers }: PinnedPost): string {
  const lines = [
    `POST ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${encoder.encode(body).byteLength}`,
    'Connection: close',
  ];
  if (lines.some((line) => /[\r\n]/.test(line))) throw new Error('a request line or header holds a line break');
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.byteLength; ) written += await conn.write(bytes.subarray(written));
}

/** Reads up to the end of the (final, non-1xx) response head; returns its status and what came after it. */
async function readHead(conn: Deno.Conn): Promise<{ status: number; rest: Uint8Array }> {
  let buffered: Uint8Array = new Uint8Array(0);
  const chunk = new Uint8Array(4096);
  for (;;) {
    const end = indexOfBlankLine(buffered);
    if (end >= 0) {
      const head = new TextDecoder().decode(buffered.subarray(0, end));
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (!match) throw new Error('the receiver did not answer with HTTP/1.1');
      const status = Number(match[1]);
      buffered = buffered.subarray(end + 4);
      if (status >= 100 && status < 200) continue; // 100 Continue and the like: the real answer follows
      return { status, rest: buffered };
    }
    if (buffered.byteLength > MAX_HEAD_BYTES) throw new Error('the receiver answered with a head over 16 KB');
    const n = await conn.read(chunk);
    if (n === null) throw new Error('the receiver closed the connection without an answer');
    buffered = concat(buffered, chunk.subarray(0, n));
  }
}

async function readExcerpt(conn: Deno.Conn, first: Uint8Array, keepBytes: number): Promise<string> {
  if (keepBytes <= 0) return '';
  let kept: Uint8Array = first.subarray(0, keepBytes);
  const chunk = new Uint8Array(Math.min(4096, keepBytes));
  while (kept.byteLength < keepBytes) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) break;
    kept = concat(kept, chunk.subarray(0, Math.min(n, keepBytes - kept.byteLength)));
  }
  return new TextDecoder().decode(kept);
}

function indexOfBlankLine(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.byteLength; i++)
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i;
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a);
  joined.set(b, a.byteLength);
  return joined;
}

const unbracketed = (host: string) => host.replace(/^\[|\]$/g, '');
