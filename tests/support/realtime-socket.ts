// A raw Phoenix-channel WebSocket (vsn 1.0.0 JSON objects) to the stack's Realtime, for tests that send
// what realtime-js never would (thousands of bindings, floods of joins) and read every frame back.
import WebSocket from 'ws';

export interface PhoenixFrame {
  topic: string;
  event: string;
  payload: Record<string, unknown> & { status?: string; response?: Record<string, unknown> };
  ref: string | null;
  join_ref: string | null;
}

export interface RawSocket {
  ws: WebSocket;
  inbox: PhoenixFrame[];
  send(frame: Omit<PhoenixFrame, 'join_ref' | 'ref'> & { ref?: string; join_ref?: string }): void;
  /** Joins `topic` (without "realtime:") and resolves the phx_reply. */
  join(topic: string, payload: Record<string, unknown>): Promise<PhoenixFrame>;
  /** The next frame matching, waiting up to timeoutMs. */
  next(match: (frame: PhoenixFrame) => boolean, timeoutMs?: number): Promise<PhoenixFrame>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

let ref = 0;

export async function openRawSocket(url: string, apikey: string): Promise<RawSocket> {
  const ws = new WebSocket(
    `${url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(apikey)}&vsn=1.0.0`,
  );
  const inbox: PhoenixFrame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    inbox.push(JSON.parse(String(data)) as PhoenixFrame);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

  const next = (match: (frame: PhoenixFrame) => boolean, timeoutMs = 10_000) =>
    new Promise<PhoenixFrame>((resolve, reject) => {
      const check = () => {
        const index = inbox.findIndex(match);
        if (index < 0) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(inbox.splice(index, 1)[0]);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching frame within ${timeoutMs} ms; inbox: ${JSON.stringify(inbox).slice(0, 500)}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });

  const send: RawSocket['send'] = (frame) => ws.send(JSON.stringify({ ref: null, join_ref: null, ...frame }));
  const join = (topic: string, payload: Record<string, unknown>) => {
    const r = String(++ref);
    send({ topic: `realtime:${topic}`, event: 'phx_join', payload, ref: r, join_ref: r });
    return next((f) => f.event === 'phx_reply' && f.ref === r);
  };
  return { ws, inbox, send, join, next, closed, close: () => ws.close() };
}
