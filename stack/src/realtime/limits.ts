// What one socket, and one client address, may ask of the stack's Realtime. Hosted Realtime caps channels
// per connection at 100 on every plan, rate-limits joins (100/s per project on Free) and caps connected
// clients per project; here a socket has its channel cap and join rate, a join may carry at most 100
// postgres_changes bindings (no single frame can keep the database busy), and all the sockets of one
// client address share a connection cap and a join budget (many sockets cannot multiply the per-socket
// limits).

export const MAX_BINDINGS_PER_JOIN = 100;
export const MAX_CHANNELS_PER_SOCKET = 100;
/** Joins a socket may make at once (realtime-js rejoins every channel after a reconnect)… */
export const JOIN_BURST = MAX_CHANNELS_PER_SOCKET;
/** …and per second after that. */
export const JOINS_PER_SECOND = 10;

/** Hosted Realtime's replies, word for word. */
export const TOO_MANY_CHANNELS = 'ChannelRateLimitReached: Too many channels';
export const TOO_MANY_JOINS = 'ClientJoinRateLimitReached: Too many joins per second';

/** A token bucket: `burst` at once, refilled at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Sockets one client address may hold open at once (hosted allows 200 clients per Free project, 500 on
 * Pro). The address is the socket's: behind a proxy every client shares the proxy's.
 */
export const MAX_SOCKETS_PER_ADDRESS = 100;
/** Joins all the sockets of one address may make at once (twice what one socket may)… */
export const ADDRESS_JOIN_BURST = 2 * JOIN_BURST;
/** …and per second after that (an attacker's sockets share it; hosted: 100 joins a second per project). */
export const ADDRESS_JOINS_PER_SECOND = 20;
/** Hosted's code for a refused connection. */
export const TOO_MANY_CONNECTIONS = 'ConnectionRateLimitReached: Too many connections from this address';

/** The sockets and the shared join budget of each client address. */
export class AddressLimits {
  private readonly addresses = new Map<string, { sockets: number; joins: TokenBucket; forget?: NodeJS.Timeout }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts a new socket from `address`; false (nothing counted) when the address holds the most it may. */
  open(address: string): boolean {
    const entry = this.addresses.get(address) ?? {
      sockets: 0,
      joins: new TokenBucket(ADDRESS_JOIN_BURST, ADDRESS_JOINS_PER_SECOND, this.now),
    };
    if (entry.sockets >= MAX_SOCKETS_PER_ADDRESS) return false;
    clearTimeout(entry.forget);
    entry.sockets++;
    this.addresses.set(address, entry);
    return true;
  }

  close(address: string): void {
    const entry = this.addresses.get(address);
    if (!entry || --entry.sockets > 0) return;
    // Kept until its budget has refilled: closing and reopening sockets must not reset it.
    const refilledMs = (ADDRESS_JOIN_BURST / ADDRESS_JOINS_PER_SECOND) * 1000;
    entry.forget = setTimeout(() => entry.sockets === 0 && this.addresses.delete(address), refilledMs);
    entry.forget.unref();
  }

  /** Takes one join from the address's budget; false when it is spent. */
  takeJoin(address: string): boolean {
    return this.addresses.get(address)?.joins.take() ?? false;
  }

  clear(): void {
    for (const entry of this.addresses.values()) clearTimeout(entry.forget);
    this.addresses.clear();
  }
}
