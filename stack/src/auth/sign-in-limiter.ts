import type { SignInLimitConfig } from './config.ts';

/** What to do with a password sign-in attempt before checking the password. */
export type SignInVerdict = { allowed: false } | { allowed: true; delayMs: number };

interface FailureRecord {
  failures: number;
  lastFailureAt: number;
}

/**
 * Slows down password guessing per (email, client address): after each failure the next
 * attempt waits twice as long, and after `maxFailures` failures attempts are refused with 429
 * until `windowMs` has passed since the last failure. A successful sign-in clears the record.
 * In memory: the stack is one process, and a restart forgetting failures is acceptable.
 */
export class SignInLimiter {
  private readonly records = new Map<string, FailureRecord>();

  constructor(
    private readonly config: SignInLimitConfig,
    private readonly now: () => number = Date.now,
    /** Bounds memory when someone sprays many emails; oldest records are dropped first. */
    private readonly maxRecords = 10_000,
  ) {}

  static key(email: string, address: string): string {
    return `${email.trim().toLowerCase()}|${address}`;
  }

  check(key: string): SignInVerdict {
    const record = this.current(key);
    if (!record) return { allowed: true, delayMs: 0 };
    if (record.failures >= this.config.maxFailures) return { allowed: false };
    const delay = this.config.baseDelayMs * 2 ** (record.failures - 1);
    return { allowed: true, delayMs: Math.min(delay, this.config.maxDelayMs) };
  }

  recordFailure(key: string): void {
    const record = this.current(key) ?? { failures: 0, lastFailureAt: 0 };
    record.failures += 1;
    record.lastFailureAt = this.now();
    // Re-insert so Map order stays "least recently failed first" for eviction.
    this.records.delete(key);
    this.records.set(key, record);
    while (this.records.size > this.maxRecords) {
      const oldest = this.records.keys().next().value as string;
      this.records.delete(oldest);
    }
  }

  recordSuccess(key: string): void {
    this.records.delete(key);
  }

  private current(key: string): FailureRecord | undefined {
    const record = this.records.get(key);
    if (record && this.now() - record.lastFailureAt >= this.config.windowMs) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }
}
