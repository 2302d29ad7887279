import { describe, expect, it } from 'vitest';
import { withEnv } from '@agent-status/tests/support/env.ts';

describe('withEnv', () => {
  const A = 'AGENT_STATUS_WITH_ENV_TEST_A';
  const B = 'AGENT_STATUS_WITH_ENV_TEST_B';

  it('sets the variables for the call only: one that was set is put back, one that was not is unset again', async () => {
    process.env[A] = 'before';
    delete process.env[B];
    const seen = await withEnv({ [A]: 'during', [B]: '0' }, async () => [process.env[A], process.env[B]]);
    expect(seen).toEqual(['during', '0']);
    expect(process.env[A]).toBe('before');
    expect(B in process.env).toBe(false);
    delete process.env[A];
  });

  it('unsets a variable given as undefined, and restores everything when the call throws', async () => {
    process.env[A] = 'before';
    await expect(
      withEnv({ [A]: undefined, [B]: 'during' }, async () => {
        expect(A in process.env).toBe(false);
        throw new Error('the call failed');
      }),
    ).rejects.toThrow('the call failed');
    expect(process.env[A]).toBe('before');
    expect(B in process.env).toBe(false);
    delete process.env[A];
  });
});
