// The Realtime transport for component tests: every connection is refused at once, so the store
// runs in its polling fallback. Handed to supabase-js as `realtime.transport` instead of letting
// msw intercept jsdom's WebSocket: that interception dispatches Node events into jsdom and, when a
// close lands after a test's environment is torn down, fails the run with an unhandled rejection.
export class RefusedWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static connections = 0;

  readyState = RefusedWebSocket.CONNECTING;
  binaryType = 'arraybuffer';
  onopen: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    RefusedWebSocket.connections++;
    setTimeout(() => this.refuse(), 0);
  }

  send(): void {}

  close(): void {
    this.readyState = RefusedWebSocket.CLOSED;
  }

  private refuse(): void {
    if (this.readyState === RefusedWebSocket.CLOSED) return;
    this.readyState = RefusedWebSocket.CLOSED;
    this.onerror?.({ type: 'error', message: 'connection refused (test transport)' });
    this.onclose?.({ type: 'close', code: 1006, reason: 'refused', wasClean: false });
  }
}
