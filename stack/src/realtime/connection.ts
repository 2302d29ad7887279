// One WebSocket: decodes frames, answers heartbeats, joins and leaves channels, relays broadcasts.
import type { WebSocket } from 'ws';
import type { Claims, StackContext } from '../types.ts';
import type { ChangeFeed } from './change-feed.ts';
import { isExpired, joinChannel, JoinError, verifyToken, type Channel } from './channel.ts';
import type { Authorizer } from './authorization.ts';
import {
  type AddressLimits,
  JOIN_BURST,
  JOINS_PER_SECOND,
  MAX_CHANNELS_PER_SOCKET,
  TokenBucket,
  TOO_MANY_CHANNELS,
  TOO_MANY_JOINS,
} from './limits.ts';
import { decodeMessage, encodeMessage, ProtocolError, reply, type PhoenixMessage, type Vsn } from './protocol.ts';

export interface Hub {
  /** Joined channels of every connection on a topic, private or public (separate namespaces, as on hosted). */
  channelsOn(topic: string, isPrivate: boolean): { connection: Connection; channel: Channel }[];
}

/** What every connection of the Realtime module shares. */
export interface Shared {
  feed: ChangeFeed;
  hub: Hub;
  authorizer: Authorizer;
  addresses: AddressLimits;
}

const WS_INVALID_PAYLOAD = 1007;
const WS_POLICY_VIOLATION = 1008;
/** setTimeout's largest delay; a token living longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Connection {
  readonly channels = new Map<string, Channel>();
  /** Messages are handled one after another, so a join's reply precedes anything sent for it. */
  private queue: Promise<void> = Promise.resolve();
  private readonly joins = new TokenBucket(JOIN_BURST, JOINS_PER_SECOND);
  /** Per channel: closes it when its access token expires (hosted Realtime does the same). */
  private readonly expiryTimers = new Map<Channel, NodeJS.Timeout>();

  constructor(
    private readonly ctx: StackContext,
    private readonly shared: Shared,
    private readonly ws: WebSocket,
    private readonly vsn: Vsn,
    /** Claims of the apikey on the socket URL: used by joins without an access_token. */
    private readonly socketClaims: Claims | null,
    /** The client's address: its sockets share a join budget (limits.ts). */
    private readonly address: string,
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
        // Frames still queued when the socket closed (e.g. a flood cut by the join limit) cost nothing more.
        .then(() => (ws.readyState === ws.OPEN ? this.handle(message) : undefined))
        .catch((error: unknown) =>
          ctx.log('realtime', `handling ${message.event} on ${message.topic} failed: ${String(error)}`),
        );
    });
    ws.on('close', () => {
      for (const timer of this.expiryTimers.values()) clearTimeout(timer);
      this.expiryTimers.clear();
      this.channels.clear();
    });
  }

  send(message: PhoenixMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(encodeMessage(message, this.vsn));
  }

  close(): void {
    this.ws.terminate();
  }

  /** Sends a system message, then closes the channel on the client (phx_close) and here. */
  closeChannel(channel: Channel, status: 'ok' | 'error', message: string): void {
    if (this.channels.get(channel.topic) !== channel) return;
    this.push(channel, 'system', { status, message, extension: 'system', channel: subTopic(channel.topic) });
    this.push(channel, 'phx_close', {});
    this.forget(channel);
  }

  private forget(channel: Channel): void {
    clearTimeout(this.expiryTimers.get(channel));
    this.expiryTimers.delete(channel);
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  /** Closes the channel when its token expires; nothing reaches it after that (broadcasts included). */
  private watchExpiry(channel: Channel): void {
    clearTimeout(this.expiryTimers.get(channel));
    this.expiryTimers.delete(channel);
    const exp = channel.claims.exp;
    if (typeof exp !== 'number') return;
    const check = () => {
      if (isExpired(channel.claims)) this.closeChannel(channel, 'error', 'Token has expired');
      else this.watchExpiry(channel);
    };
    const timer = setTimeout(check, Math.min(Math.max(exp * 1000 - Date.now(), 0) + 10, MAX_TIMER_MS));
    timer.unref();
    this.expiryTimers.set(channel, timer);
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
        this.forget(channel);
        this.send(reply(message, 'ok'));
        this.push(channel, 'phx_close', {});
        return;
      case 'access_token':
        if (channel.private && !this.withinJoinLimits(message)) return;
        return this.refreshToken(channel, message.payload.access_token);
      case 'broadcast':
        return this.broadcast(channel, message);
      default:
        this.send(reply(message, 'error', { reason: `event "${event}" is not supported by the embedded stack` }));
    }
  }

  /**
   * A join (or a private channel's new token, which asks its read policy again) within the limits: this
   * socket's rate — over it the socket is closed — and its address's budget — over it the join is refused
   * and the socket kept, since other clients may share the address. False when refused (answered already).
   */
  private withinJoinLimits(message: PhoenixMessage): boolean {
    if (!this.joins.take()) {
      this.send(reply(message, 'error', { reason: TOO_MANY_JOINS }));
      this.ws.close(WS_POLICY_VIOLATION, TOO_MANY_JOINS);
      return false;
    }
    if (!this.shared.addresses.takeJoin(this.address)) {
      this.send(reply(message, 'error', { reason: TOO_MANY_JOINS }));
      return false;
    }
    return true;
  }

  private async join(message: PhoenixMessage): Promise<void> {
    // Limits first, as hosted checks them: no work at all for a join over them.
    if (!this.withinJoinLimits(message)) return;
    if (!this.channels.has(message.topic) && this.channels.size >= MAX_CHANNELS_PER_SOCKET) {
      this.send(reply(message, 'error', { reason: TOO_MANY_CHANNELS }));
      return;
    }
    let channel: Channel;
    try {
      channel = await joinChannel(
        this.ctx,
        this.shared,
        message.topic,
        message.joinRef,
        message.payload,
        this.socketClaims,
      );
    } catch (error) {
      if (!(error instanceof JoinError)) throw error;
      this.send(reply(message, 'error', { reason: error.message }));
      return;
    }
    // A second join of the same topic replaces the first, as Phoenix does.
    const replaced = this.channels.get(channel.topic);
    if (replaced) this.forget(replaced);
    this.channels.set(channel.topic, channel);
    this.watchExpiry(channel);
    const postgres_changes = channel.bindings.map((b) => ({ id: b.id, ...b.echo }));
    this.send(reply(message, 'ok', { postgres_changes }));
    if (postgres_changes.length > 0) {
      this.push(channel, 'system', {
        status: 'ok',
        message: 'Subscribed to PostgreSQL',
        extension: 'postgres_changes',
        channel: subTopic(channel.topic),
      });
    }
  }

  private async refreshToken(channel: Channel, token: unknown): Promise<void> {
    try {
      const claims = await verifyToken(this.ctx, token);
      if (isExpired(claims)) throw new JoinError('Token has expired');
      // A private channel's read policy is asked again for the new claims, as hosted does.
      if (channel.private && !(await this.shared.authorizer.canRead(claims, subTopic(channel.topic)))) {
        throw new JoinError(`You do not have permissions to read from this Channel topic: ${subTopic(channel.topic)}`);
      }
      channel.claims = claims;
      channel.mayBroadcast = undefined;
      this.watchExpiry(channel);
    } catch (error) {
      if (!(error instanceof JoinError)) throw error;
      this.closeChannel(channel, 'error', error.message);
    }
  }

  /**
   * A client's broadcast: relayed only if the sender may broadcast on the topic (the INSERT policy on
   * realtime.messages, asked once per channel and token); refused otherwise — with a reply when the client
   * asked for acknowledgements, silently otherwise (hosted drops it silently either way).
   */
  private async broadcast(from: Channel, message: PhoenixMessage): Promise<void> {
    const { event, payload } = message.payload;
    if (typeof event !== 'string') {
      this.send(reply(message, 'error', { reason: 'broadcast needs an event name' }));
      return;
    }
    if (isExpired(from.claims)) return this.closeChannel(from, 'error', 'Token has expired');
    from.mayBroadcast ??= await this.shared.authorizer.canBroadcast(from.claims, subTopic(from.topic), from.private);
    if (!from.mayBroadcast) {
      if (from.broadcastAck) {
        this.send(
          reply(message, 'error', {
            reason: `You do not have permissions to broadcast to this Channel topic: ${subTopic(from.topic)} (client broadcasts need an INSERT policy on realtime.messages)`,
          }),
        );
      }
      return;
    }
    for (const { connection, channel } of this.shared.hub.channelsOn(from.topic, from.private)) {
      if (channel === from && !from.broadcastSelf) continue;
      connection.sendBroadcast(channel, event, payload);
    }
    if (from.broadcastAck) this.send(reply(message, 'ok'));
  }

  /** A broadcast on one of this socket's channels, in the frame realtime-js expects; never past its token's expiry. */
  sendBroadcast(channel: Channel, event: string, payload: unknown): void {
    if (isExpired(channel.claims)) {
      this.closeChannel(channel, 'error', 'Token has expired');
      return;
    }
    this.push(channel, 'broadcast', { type: 'broadcast', event, payload: payload ?? {} });
  }

  /** A message the server sends on a joined channel by itself (no ref: it answers nothing). */
  push(channel: Channel, event: string, payload: Record<string, unknown>): void {
    this.send({ joinRef: channel.joinRef, ref: null, topic: channel.topic, event, payload });
  }
}

export const subTopic = (topic: string) => topic.replace(/^realtime:/, '');
