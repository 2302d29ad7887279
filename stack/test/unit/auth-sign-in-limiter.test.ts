import { describe, expect, it } from 'vitest';
import { SignInLimiter } from '../../src/auth/sign-in-limiter.ts';

const config = { maxFailures: 4, baseDelayMs: 100, maxDelayMs: 300, windowMs: 60_000 };

function limiterAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, limiter: new SignInLimiter(config, () => clock.now, 3) };
}

describe('SignInLimiter', () => {
  it('delays each attempt after a failure twice as long, capped, then refuses', () => {
    const { limiter } = limiterAt();
    const key = SignInLimiter.key('A@Example.com ', '127.0.0.1');
    expect(limiter.check(key)).toEqual({ allowed: true, delayMs: 0 });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      limiter.recordFailure(key);
      const verdict = limiter.check(key);
      if (verdict.allowed) delays.push(verdict.delayMs);
    }
    expect(delays).toEqual([100, 200, 300]);
    limiter.recordFailure(key);
    expect(limiter.check(key)).toEqual({ allowed: false });
  });

  it('forgets failures after the window and on success', () => {
    const { clock, limiter } = limiterAt();
    const key = SignInLimiter.key('a@example.com', '::1');
    for (let i = 0; i < 4; i++) limiter.recordFailure(key);
    clock.now += 59_999;
    expect(limiter.check(key).allowed).toBe(false);
    clock.now += 1;
    expect(limiter.check(key)).toEqual({ allowed: true, delayMs: 0 });
    limiter.recordFailure(key);
    limiter.recordSuccess(key);
    expect(limiter.check(key)).toEqual({ allowed: true, delayMs: 0 });
  });

  it('keys by normalised email and address separately', () => {
    const { limiter } = limiterAt();
    expect(SignInLimiter.key(' A@B.co', '1.2.3.4')).toBe(SignInLimiter.key('a@b.co', '1.2.3.4'));
    for (let i = 0; i < 4; i++) limiter.recordFailure(SignInLimiter.key('a@b.co', '1.2.3.4'));
    expect(limiter.check(SignInLimiter.key('a@b.co', '5.6.7.8')).allowed).toBe(true);
    expect(limiter.check(SignInLimiter.key('c@b.co', '1.2.3.4')).allowed).toBe(true);
  });

  it('bounds memory by dropping the least recently failed key', () => {
    const { limiter } = limiterAt();
    for (const email of ['a', 'b', 'c', 'd']) limiter.recordFailure(SignInLimiter.key(email, 'x'));
    expect(limiter.check(SignInLimiter.key('a', 'x'))).toEqual({ allowed: true, delayMs: 0 });
    expect(limiter.check(SignInLimiter.key('d', 'x'))).toEqual({ allowed: true, delayMs: 100 });
  });
});
