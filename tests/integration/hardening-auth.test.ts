// sign-in and sign-up requests are limited per client address as config.toml's
// [auth.rate_limit] sign_in_sign_ups says (GoTrue: that many per 5 minutes per IP), answered 429 with
// Retry-After; and password hashing (bcrypt, ~80 ms of CPU each) cannot starve the stack's event loop.
import { afterEach, describe, expect, it } from 'vitest';
import { apiKeys, clients, createUser, startTestStack, type RunningStack } from '../support/stack.ts';

/** supabase/config.toml: [auth.rate_limit] sign_in_sign_ups. */
const SIGN_IN_SIGN_UPS = 30;

let stack: RunningStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const signIn = (email: string, password = 'not-the-password') =>
  fetch(`${stack!.url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: apiKeys(stack!).publishable, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

describe('sign-ins per client address', () => {
  it(`the ${SIGN_IN_SIGN_UPS + 1}st sign-in from one address within 5 minutes gets 429 with Retry-After, whatever the email`, async () => {
    stack = await startTestStack();
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < SIGN_IN_SIGN_UPS + 5; i++) {
      const response = await signIn(`spray-${i}@example.com`);
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
      else await response.text();
    }
    expect(statuses.slice(0, SIGN_IN_SIGN_UPS)).toEqual(Array(SIGN_IN_SIGN_UPS).fill(400));
    expect(statuses.slice(SIGN_IN_SIGN_UPS)).toEqual(Array(5).fill(429));
    expect(await refused!.json()).toMatchObject({ code: 'over_request_rate_limit' });
    // One more attempt comes back after 5 min / 30 = 10 s.
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(10);
  }, 120_000);

  it('a burst of sign-ins does not starve other requests (password hashing is bounded)', async () => {
    stack = await startTestStack();
    await createUser(stack, { email: 'viewer@burst.test', password: 'viewer-password-1', role: 'viewer' });
    const viewer = await clients(stack).signIn('viewer@burst.test', 'viewer-password-1');
    const read = async () => {
      const started = performance.now();
      const { error } = await viewer.from('agent_status').select('agent_name').limit(1);
      expect(error).toBeNull();
      return performance.now() - started;
    };
    const quiet = await read();
    // 20 wrong passwords at once (within the per-address limit): 20 × ~80 ms of bcrypt. Reads go on meanwhile.
    let done = false;
    const burst = Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(`burst-${i}@example.com`).then((r) => r.status)),
    ).finally(() => (done = true));
    const during: number[] = [];
    while (!done) during.push(await read());
    const statuses = await burst;
    const worst = Math.max(...during);
    console.log(
      `viewer read: ${quiet.toFixed(0)} ms quiet; during a burst of ${statuses.length} sign-ins ${during.length} reads, slowest ${worst.toFixed(0)} ms`,
    );
    expect(statuses.every((s) => s === 400)).toBe(true);
    // Generous: a read takes a few ms; without a bound it waits behind every hash in the burst (~1.5 s here).
    expect(worst).toBeLessThan(500);
  }, 120_000);
});
