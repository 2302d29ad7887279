// One WebSocket: decodes frames, answers heartbeats, joins and leaves channels, relays broadcasts.
import type { WebSocket } from 'ws';
import type { Claims, StackContext } from '../types.ts';
import type { ChangeFeed } from './change-feed.ts';
import { isExpired, joinChannel, JoinError, verifyToken, type Channel } from './channel.ts';
import { decodeMessage, encodeMessage, ProtocolError, reply, type PhoenixMessage, type Vsn } from './protocol.ts';

export interface Hub {
  /** Joined channels of every connection on a topic (broadcast fan-out). */
  channelsOn(topic: string): { connection: Connection; channel: Channel }[];
}

const WS_INVALID_PAYLOAD = 1007;

export class Connection {
  readonly channels = new Map<string, Channel>();
  /** Messages are handled one after another, so a join's reply precedes anything sent for it. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: StackContext,
    private readonly feed: ChangeFeed,
    private readonly hub: Hub,
    private readonly ws: WebSocket,
    private readonly vsn: Vsn,
    /** Claims of the apikey on the socket URL: used by joins without an access_token. */
    private readonly socketClaims: Claims | null,
  ) {
    ws.on('message', (data, isBinary) => {
      let message: PhoenixMessage;
      try {
        message = decodeMessage(data as Buffer, isBinary, vsn);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        ctx.log('realtime', `closing socket: ${error.message}`);
        ws.close(WS_INVALID_PAYLOAD, error.message.slice(0, 120));
        return;
      }
      this.queue = this.queue
        .then(() => this.handle(message))
        .catch((error: unknown) => ctx.log('realtime', `handling ${message.event} on ${message.topic} failed: ${String(error)}`));
    });
    ws.on('close', () => this.channels.clear());
  }

  send(message: PhoenixMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(encodeMessage(message, this.vsn));
  }

  close(): void {
    this.ws.terminate();
  }

  /** Sends a system message, then closes the channel on the client (phx_close) and here. */
  closeChannel(channel: Channel, status: 'ok' | 'error', message: string): void {
    this.push(channel, 'system', { status, message, extension: 'system', channel: subTopic(channel.topic) });
    this.push(channel, 'phx_close', {});
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  private async handle(message: PhoenixMessage): Promise<void> {
    const { topic, event } = message;
    if (topic === 'phoenix') {
      if (event === 'heartbeat') this.send(reply(message, 'ok'));
      else this.send(reply(message, 'error', { reason: `unknown event "${event}" on topic phoenix` }));
      return;
    }
    if (event === 'phx_join') return this.join(message);
    const channel = this.channels.get(topic);
    if (!channel) {
      this.send(reply(message, 'error', { reason: 'unmatched topic' }));
      return;
    }
    switch (event) {
      case 'phx_leave':
        this.channels.delete(topic);
        this.send(reply(message, 'ok'));
        this.push(channel, 'phx_close', {});
        return;
      case 'access_token':
        return this.refreshToken(channel, message.payload.access_token);
      case 'broadcast':
        return this.broadcast(channel, message);
      default:
        this.send(reply(message, 'error', { reason: `event "${event}" is not supported by the embedded stack` }));
    }
  }

  private async join(message: PhoenixMessage): Promise<void> {
    let channel: Channel;
    try {
      channel = await joinChannel(this.ctx, this.feed, message.topic, message.joinRef, message.payload, this.socketClaims);
    } catch (error) {
      if (!(error instanceof JoinError)) throw error;
      this.send(reply(message, 'error', { reason: error.message }));
      return;
    }
    // A second join of the same topic replaces the first, as Phoenix does.
    this.channels.set(channel.topic, channel);
    const postgres_changes = channel.bindings.map((b) => ({ id: b.id, ...b.echo }));
    this.send(reply(message, 'ok', { postgres_changes }));
    if (postgres_changes.length > 0) {
      this.push(channel, 'system', { status: 'ok', message: 'Subscribed to PostgreSQL', extension: 'postgres_changes', channel: subTopic(channel.topic) });
    }
  }

  private async refreshToken(channel: Channel, token: unknown): Promise<void> {
    try {
      const claims = await verifyToken(this.ctx, token);
      if (isExpired(claims)) throw new JoinError('Token has expired');
      channel.claims = claims;
    } catch (error) {
      if (!(error instanceof JoinError)) throw error;
      this.closeChannel(channel, 'error', error.message);
    }
  }

  private broadcast(from: Channel, message: PhoenixMessage): void {
    const { event, payload } = message.payload;
    if (typeof event !== 'string') {
      this.send(reply(message, 'error', { reason: 'broadcast needs an event name' }));
      return;
    }
    for (const { connection, channel } of this.hub.channelsOn(from.topic)) {
      if (channel === from && !from.broadcastSelf) continue;
      connection.sendBroadcast(channel, event, payload);
    }
    if (from.broadcastAck) this.send(reply(message, 'ok'));
  }

  /** A broadcast on one of this socket's channels, in the frame realtime-js expects. */
  sendBroadcast(channel: Channel, event: string, payload: unknown): void {
    this.push(channel, 'broadcast', { type: 'broadcast', event, payload: payload ?? {} });
  }

  /** A message the server sends on a joined channel by itself (no ref: it answers nothing). */
  push(channel: Channel, event: string, payload: Record<string, unknown>): void {
    this.send({ joinRef: channel.joinRef, ref: null, topic: channel.topic, event, payload });
  }
}

export const subTopic = (topic: string) => topic.replace(/^realtime:/, '');
