// /realtime/v1/websocket: the Phoenix-channel protocol of @supabase/realtime-js, for
// postgres_changes (honouring RLS) and broadcast. The gateway has checked the apikey already.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Claims, StackContext, StackModule } from '../types.ts';
import { createChangeFeed, type ChangeFeed } from './change-feed.ts';
import { Connection, type Hub, type Shared } from './connection.ts';
import { createAuthorizer } from './authorization.ts';
import { AddressLimits, TOO_MANY_CONNECTIONS } from './limits.ts';
import { relayDatabaseBroadcasts } from './database-broadcast.ts';
import { deliverChanges } from './fanout.ts';
import { parseVsn, type ProtocolError, type Vsn } from './protocol.ts';
import { sendJsonOnSocket } from '../http/send.ts';

// The gateway may hand over the full path or the part after /realtime/v1.
const WEBSOCKET_SUFFIX = '/websocket';
const MAX_FRAME_BYTES = 1024 * 1024;
/** A socket that has not answered a WebSocket ping within this long is dead (sleeping laptop, cut network). */
const LIVENESS_INTERVAL_MS = 30_000;

export async function createRealtime(ctx: StackContext): Promise<StackModule> {
  const connections = new Set<Connection>();
  const hub: Hub = {
    channelsOn: (topic, isPrivate) =>
      [...connections].flatMap((connection) => {
        const channel = connection.channels.get(topic);
        return channel && channel.private === isPrivate ? [{ connection, channel }] : [];
      }),
  };
  const subscribers = () =>
    [...connections].flatMap((connection) =>
      [...connection.channels.values()].map((channel) => ({ connection, channel })),
    );

  let feed: ChangeFeed | undefined;
  feed = await createChangeFeed(ctx, (changes) =>
    feed ? deliverChanges(ctx, feed, subscribers(), changes) : Promise.resolve(),
  );
  const stopRelay = await relayDatabaseBroadcasts(ctx, hub);
  const addresses = new AddressLimits();
  const shared: Shared = { feed, hub, authorizer: createAuthorizer(ctx), addresses };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const alive = new WeakMap<object, boolean>();
  const liveness = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) ws.terminate();
      else {
        alive.set(ws, false);
        ws.ping();
      }
    }
  }, LIVENESS_INTERVAL_MS);
  liveness.unref();

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      const url = new URL(req.url ?? '/', 'http://stack');
      if (!url.pathname.replace(/\/+$/, '').endsWith(WEBSOCKET_SUFFIX))
        return sendJsonOnSocket(socket, 404, { error: `no WebSocket endpoint at ${url.pathname}` });
      let vsn: Vsn;
      try {
        vsn = parseVsn(url.searchParams.get('vsn'));
      } catch (error) {
        return sendJsonOnSocket(socket, 400, { error: (error as ProtocolError).message });
      }
      const address = req.socket.remoteAddress ?? 'unknown';
      if (!addresses.open(address)) return sendJsonOnSocket(socket, 429, { error: TOO_MANY_CONNECTIONS });
      let counted = true;
      const uncount = () => counted && ((counted = false), addresses.close(address));
      socket.once('close', uncount);
      void socketClaims(ctx, url.searchParams.get('apikey')).then((claims) => {
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('pong', () => alive.set(ws, true));
          const connection = new Connection(ctx, shared, ws, vsn, claims, address);
          connections.add(connection);
          ws.on('close', () => (connections.delete(connection), uncount()));
        });
      });
    },
    async close() {
      clearInterval(liveness);
      for (const connection of connections) connection.close();
      connections.clear();
      addresses.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await stopRelay();
      await feed?.close();
    },
  };
}

/** What the socket's apikey grants (publishable key → anon, secret key → service_role, a legacy JWT → its claims). */
async function socketClaims(ctx: StackContext, apikey: string | null): Promise<Claims | null> {
  if (!apikey) return null;
  // The gateway decides whether the socket may open; without claims here, joins need an access_token.
  return (await ctx.keys.apiKeyClaims(apikey)) ?? null;
}
