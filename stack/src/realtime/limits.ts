// What one socket may ask of the stack's Realtime. Hosted Realtime caps channels per connection at 100
// on every plan and rate-limits joins (100/s per project on Free); here the limits are per socket, and a
// join may carry at most 100 postgres_changes bindings, so no single frame can keep the database busy.

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
