// [auth.rate_limit] sign_in_sign_ups of config.toml, as GoTrue applies it: that many sign-in and
// sign-up requests per client address per 5 minutes, as a token bucket (it refills continuously at
// limit / 5 min; GoTrue's tollbooth buckets do the same, with a burst of 30 whatever the limit — here the
// burst is the limit itself, so a smaller setting is honoured as written). In memory, per process.

const WINDOW_MS = 5 * 60_000;
/** Bounds memory when requests come from very many addresses; the least recently seen go first. */
const MAX_ADDRESSES = 10_000;

export type AddressVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class AddressLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    /** Requests per address per 5 minutes; 0 turns the limit off. */
    private readonly perFiveMinutes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the address's bucket, or says how long until the next one is allowed. */
  take(address: string): AddressVerdict {
    if (this.perFiveMinutes <= 0) return { allowed: true };
    const now = this.now();
    const perMs = this.perFiveMinutes / WINDOW_MS;
    const bucket = this.buckets.get(address) ?? { tokens: this.perFiveMinutes, at: now };
    bucket.tokens = Math.min(this.perFiveMinutes, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.delete(address);
    this.buckets.set(address, bucket);
    while (this.buckets.size > MAX_ADDRESSES) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }
}
