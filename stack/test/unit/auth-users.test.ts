import { describe, expect, it } from 'vitest';
import { banDuration, paginationLinks } from '../../src/auth/admin-routes.ts';
import { AuthError, errors } from '../../src/auth/errors.ts';
import { BCRYPT_LIBRARIES, PasswordWorker, PasswordWorkerBusy } from '../../src/auth/password-worker.ts';
import { assertAcceptablePassword, DUMMY_HASH, Passwords } from '../../src/auth/passwords.ts';
import {
  isBanned,
  mergeMetadata,
  metadataField,
  normalizeEmail,
  toUserObject,
  type UserRow,
} from '../../src/auth/users.ts';

const row: UserRow = {
  id: '6f1c2a52-0d7e-4a53-9b7e-3f1f7c1d2e3a',
  aud: 'authenticated',
  role: 'authenticated',
  email: 'op@example.com',
  encrypted_password: 'secret-hash',
  email_confirmed_at: new Date('2026-01-01T00:00:00Z'),
  last_sign_in_at: null,
  raw_app_meta_data: { provider: 'email', role: 'operator' },
  raw_user_meta_data: { name: 'Op' },
  banned_until: null,
  created_at: '2026-01-01T00:00:00+00',
  updated_at: new Date('2026-01-02T00:00:00Z'),
};

describe('user objects', () => {
  it("have GoTrue's shape, omit unset timestamps and never leak the password hash", () => {
    const user = toUserObject(row);
    expect(user).toEqual({
      id: row.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: 'op@example.com',
      email_confirmed_at: '2026-01-01T00:00:00.000Z',
      confirmed_at: '2026-01-01T00:00:00.000Z',
      phone: '',
      app_metadata: { provider: 'email', role: 'operator' },
      user_metadata: { name: 'Op' },
      identities: [],
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-02T00:00:00.000Z',
      is_anonymous: false,
    });
    expect(JSON.stringify(user)).not.toContain('secret-hash');
  });

  it('merge metadata key by key; null deletes', () => {
    expect(mergeMetadata({ a: 1, b: 2 }, { b: null, c: 3 })).toEqual({ a: 1, c: 3 });
  });

  it("normalise emails and reject bad ones with GoTrue's message", () => {
    expect(normalizeEmail('  Op@Example.COM ')).toBe('op@example.com');
    expect(() => normalizeEmail('nope')).toThrow('Unable to validate email address: invalid format');
    expect(() => normalizeEmail(undefined)).toThrow(AuthError);
  });

  it('accept only objects as metadata', () => {
    expect(metadataField({ data: { x: 1 } }, 'data')).toEqual({ x: 1 });
    expect(metadataField({}, 'data')).toBeUndefined();
    expect(() => metadataField({ data: [1] }, 'data')).toThrow('data must be a JSON object');
  });

  it('know bans and parse ban durations', () => {
    expect(isBanned({ ...row, banned_until: new Date(Date.now() + 60_000) })).toBe(true);
    expect(isBanned({ ...row, banned_until: new Date(Date.now() - 60_000) })).toBe(false);
    expect(banDuration({ ban_duration: '2h' }, 0)).toEqual(new Date(7_200_000));
    expect(banDuration({ ban_duration: 'none' })).toBeNull();
    expect(banDuration({})).toBeUndefined();
    expect(() => banDuration({ ban_duration: 'forever' })).toThrow(/ban_duration/);
  });
});

describe('passwords', () => {
  it('hash with bcrypt cost 10 and verify', async () => {
    // On a worker thread: the stack's own thread never runs bcrypt.
    const passwords = new Passwords();
    const hashPassword = (password: string) => passwords.hash(password);
    const verifyPassword = (password: string, hash: string | null) => passwords.verify(password, hash);
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong', hash)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
    await passwords.close();
  });

  it('refuse more waiting operations than the bound with a 429, instead of queueing without end', async () => {
    const worker = new PasswordWorker(2);
    const running = [worker.hash('a', 10), worker.hash('b', 10)];
    await expect(worker.hash('c', 10)).rejects.toBeInstanceOf(PasswordWorkerBusy);
    await Promise.all(running);
    await expect(worker.compare('a', await running[0])).resolves.toBe(true);
    await worker.close();
  });

  it('ends the password worker thread after a while without work and starts it again for the next operation', async () => {
    const worker = new PasswordWorker(4, 50);
    const hash = await worker.hash('a', 4);
    expect(worker.running).toBe(true);
    await expect.poll(() => worker.running, { timeout: 10_000 }).toBe(false);
    await expect(worker.compare('a', hash)).resolves.toBe(true);
    expect(worker.running).toBe(true);
    await worker.close();
    expect(worker.running).toBe(false);
  });

  it('use native bcrypt where it is installed', async () => {
    const worker = new PasswordWorker();
    expect(await worker.compare('a', await worker.hash('a', 4))).toBe(true);
    expect(worker.library).toBe('node-rs');
    await worker.close();
  });

  it('fall back to bcryptjs when the native build does not load', async () => {
    const bcryptjs = BCRYPT_LIBRARIES.find((library) => library.api === 'bcryptjs')!;
    const worker = new PasswordWorker(4, 30_000, [
      { path: '/nonexistent/@node-rs/bcrypt/index.js', api: 'node-rs' },
      bcryptjs,
    ]);
    const hash = await worker.hash('correct horse', 4);
    expect(await worker.compare('correct horse', hash)).toBe(true);
    expect(await worker.compare('wrong', hash)).toBe(false);
    expect(worker.library).toBe('bcryptjs');
    await worker.close();
  });

  it("verify each other's hashes and GoTrue's $2a$ ones, and refuse a broken hash, whichever library runs", async () => {
    const [native, js] = ['node-rs', 'bcryptjs'].map(
      (api) =>
        new PasswordWorker(
          4,
          30_000,
          BCRYPT_LIBRARIES.filter((library) => library.api === api),
        ),
    );
    // GoTrue (Go's bcrypt) and pgcrypto's crypt() write $2a$ hashes; this one is crypt('correct horse', gen_salt('bf', 4)).
    const goTrue = '$2a$04$eiPYhXKL8FFYqz0L3UUKAOiRP825yC.jzo6XOfuBXeHqSvOo8shc.';
    for (const hash of [await native.hash('correct horse', 4), await js.hash('correct horse', 4), goTrue]) {
      for (const worker of [native, js]) {
        expect(await worker.compare('correct horse', hash)).toBe(true);
        expect(await worker.compare('correct horsf', hash)).toBe(false);
      }
    }
    // A stored hash that is not one (hand-edited, truncated) refuses the password, never throws (a 500).
    for (const broken of ['secret-hash', '$2a$10$short', '']) {
      for (const worker of [native, js]) expect(await worker.compare('correct horse', broken)).toBe(false);
    }
    expect([native.library, js.library]).toEqual(['node-rs', 'bcryptjs']);
    await Promise.all([native.close(), js.close()]);
  });

  it('fail an operation with a clear error when no bcrypt library loads', async () => {
    const worker = new PasswordWorker(4, 30_000, [{ path: '/nonexistent/bcryptjs.js', api: 'bcryptjs' }]);
    await expect(worker.hash('a', 4)).rejects.toThrow(/no bcrypt library loads/);
    await worker.close();
  });

  it('compare unknown emails against a hash of the cost real ones have', () => {
    expect(DUMMY_HASH).toMatch(/^\$2b\$10\$.{53}$/);
  });

  it('refuse short, long and non-string passwords', () => {
    expect(() => assertAcceptablePassword('12345', 6)).toThrow('Password should be at least 6 characters.');
    expect(() => assertAcceptablePassword('x'.repeat(73), 6)).toThrow(/72/);
    expect(() => assertAcceptablePassword(123456, 6)).toThrow(AuthError);
    assertAcceptablePassword('123456', 6);
  });
});

describe('errors', () => {
  it("carry GoTrue's body: code, error_code and msg", () => {
    expect(errors.invalidCredentials().toBody()).toEqual({
      code: 'invalid_credentials',
      error_code: 'invalid_credentials',
      msg: 'Invalid login credentials',
    });
    expect(errors.weakPassword(6).toBody()).toMatchObject({ weak_password: { reasons: ['length'] } });
    expect(errors.tooManyRequests().status).toBe(429);
  });
});

describe('admin user list pagination', () => {
  it('links next and last pages as GoTrue does, none on the last page', () => {
    expect(paginationLinks(1, 2, 5)).toBe(
      '</admin/users?page=2&per_page=2>; rel="next", </admin/users?page=3&per_page=2>; rel="last"',
    );
    expect(paginationLinks(3, 2, 5)).toBeUndefined();
    expect(paginationLinks(1, 50, 0)).toBeUndefined();
  });
});
