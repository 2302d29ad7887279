import { describe, expect, it } from 'vitest';
import { AddressLimiter } from '../../src/auth/address-limiter.ts';

describe('AddressLimiter ([auth.rate_limit] sign_in_sign_ups)', () => {
  it('allows the limit at once per address, then one more every 5 min / limit, with Retry-After', () => {
    let now = 0;
    const limiter = new AddressLimiter(30, () => now);
    for (let i = 0; i < 30; i++) expect(limiter.take('10.0.0.1')).toEqual({ allowed: true });
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('10.0.0.2')).toEqual({ allowed: true }); // another address has its own bucket
    now += 5_000;
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    now += 5_000;
    expect(limiter.take('10.0.0.1')).toEqual({ allowed: true });
    now += 10 * 60_000; // refills up to the limit, not beyond
    for (let i = 0; i < 30; i++) expect(limiter.take('10.0.0.1').allowed).toBe(true);
    expect(limiter.take('10.0.0.1').allowed).toBe(false);
  });

  it('0 turns the limit off', () => {
    const limiter = new AddressLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('x').allowed).toBe(true);
  });
});
