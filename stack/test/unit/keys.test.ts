import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createKeys, LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY } from '../../src/keys.ts';

describe('stack keys', () => {
  it('the local secret gives the Supabase CLI well-known keys, which verify', async () => {
    const keys = await createKeys(LOCAL_JWT_SECRET);
    expect(keys.anonKey).toBe(LOCAL_ANON_KEY);
    expect(keys.serviceRoleKey).toBe(LOCAL_SERVICE_ROLE_KEY);
    await expect(keys.verify(keys.anonKey)).resolves.toMatchObject({ role: 'anon' });
  });

  it('a token that verified once is refused the moment it expires', async () => {
    const keys = await createKeys();
    const token = await keys.sign({ role: 'authenticated', sub: 'u1' }, 1);
    await expect(keys.verify(token)).resolves.toMatchObject({ sub: 'u1' });
    await expect(keys.verify(token)).resolves.toMatchObject({ sub: 'u1' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(keys.verify(token)).rejects.toThrow();
  });

  it('callers cannot change what a later verify returns', async () => {
    const keys = await createKeys();
    const first = await keys.verify(keys.anonKey);
    first.role = 'service_role';
    await expect(keys.verify(keys.anonKey)).resolves.toMatchObject({ role: 'anon' });
  });

  it('refuses another secret, alg none and a token without a role', async () => {
    const keys = await createKeys();
    const other = await createKeys('another-secret-that-is-at-least-32-characters');
    await expect(keys.verify(await other.sign({ role: 'service_role' }, 60))).rejects.toThrow();
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"role":"service_role"}').toString('base64url')}.`;
    await expect(keys.verify(none)).rejects.toThrow();
    const roleless = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
    await expect(keys.verify(roleless)).rejects.toThrow(/role/);
  });
});
