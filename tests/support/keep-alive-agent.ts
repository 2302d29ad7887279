// The keep-alive connection pool of the load generators (soak and bench), which send raw node:http
// requests the way the SDK's fetch would. Node's server closes a connection idle for 5 s and says so
// in `Keep-Alive: timeout=5`; Node's http.Agent honours that hint only when it has a `timeout` of its
// own, and otherwise may pick an idle socket at the moment the server closes it (ECONNRESET, "socket
// hang up"). undici, under the SDK's fetch, honours the hint by itself. Seen in the soak once the
// stack kept up with 1,000 heartbeats/s and most of the 64 connections sat idle.
import http from 'node:http';

/** Longer than any request the generators wait for; the server's hint shortens it for idle sockets. */
const SOCKET_TIMEOUT_MS = 60_000;

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, timeout: SOCKET_TIMEOUT_MS });
}
