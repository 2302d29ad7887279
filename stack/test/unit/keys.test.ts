import { SignJWT, decodeProtectedHeader, exportSPKI, generateKeyPair, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createKeys,
  LOCAL_ANON_KEY,
  LOCAL_JWT_SECRET,
  LOCAL_PUBLISHABLE_KEY,
  LOCAL_SECRET_KEY,
  LOCAL_SERVICE_ROLE_KEY,
} from '../../src/keys/index.ts';
import { legacyKid } from '../../src/keys/legacy.ts';
import { apiKeysFromToml } from '../../src/keys/config.ts';
import { isBrowser } from '../../src/keys/api-keys.ts';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const later = () => Math.floor(Date.now() / 1000) + 600;

describe('stack keys', () => {
  it('the local secret gives the Supabase CLI well-known keys, which verify', async () => {
    const keys = await createKeys({ jwtSecret: LOCAL_JWT_SECRET });
    expect(keys.anonKey).toBe(LOCAL_ANON_KEY);
    expect(keys.serviceRoleKey).toBe(LOCAL_SERVICE_ROLE_KEY);
    await expect(keys.verify(keys.anonKey)).resolves.toMatchObject({ role: 'anon' });
    expect(keys.publishableKey).toBe(LOCAL_PUBLISHABLE_KEY);
    expect(keys.secretKey).toBe(LOCAL_SECRET_KEY);
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
    const other = await createKeys({ model: 'legacy', jwtSecret: 'another-secret-that-is-at-least-32-characters' });
    await expect(keys.verify(await other.sign({ role: 'service_role' }, 60))).rejects.toThrow();
    const otherNoKid = await new SignJWT({ role: 'service_role' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(later())
      .sign(new TextEncoder().encode('another-secret-that-is-at-least-32-characters'));
    await expect(keys.verify(otherNoKid)).rejects.toThrow();
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"role":"service_role"}').toString('base64url')}.`;
    await expect(keys.verify(none)).rejects.toThrow();
    const roleless = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
    await expect(keys.verify(roleless)).rejects.toThrow(/role/);
  });
});

describe('current key model', () => {
  it('signs sessions with ES256 and the kid of its key, and publishes only the public key', async () => {
    const keys = await createKeys();
    const token = await keys.sign({ role: 'authenticated', sub: 'u1' }, 60);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: keys.sessionKid });
    await expect(keys.verify(token)).resolves.toMatchObject({ sub: 'u1', role: 'authenticated' });
    expect(keys.publicJwks.keys).toHaveLength(1);
    const [jwk] = keys.publicJwks.keys;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: keys.sessionKid, use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    expect(keys.functionJwks).toEqual(keys.publicJwks);
  });

  it('maps API keys to roles: publishable → anon, secret → service_role, legacy JWTs → their claims, anything else → none', async () => {
    const keys = await createKeys();
    await expect(keys.apiKeyClaims(LOCAL_PUBLISHABLE_KEY)).resolves.toEqual({ role: 'anon' });
    await expect(keys.apiKeyClaims(LOCAL_SECRET_KEY)).resolves.toEqual({ role: 'service_role' });
    await expect(keys.apiKeyClaims(LOCAL_ANON_KEY)).resolves.toMatchObject({ role: 'anon' });
    await expect(keys.apiKeyClaims(LOCAL_SERVICE_ROLE_KEY)).resolves.toMatchObject({ role: 'service_role' });
    for (const bad of ['sb_publishable_someone_else', 'sb_secret_guess', `${LOCAL_SECRET_KEY}x`, 'not.a.jwt', '']) {
      await expect(keys.apiKeyClaims(bad), bad).resolves.toBeUndefined();
    }
    expect(keys.isSecretKey(LOCAL_SECRET_KEY)).toBe(true);
    expect(keys.isSecretKey(LOCAL_PUBLISHABLE_KEY)).toBe(false);
  });

  it('gives a short-lived role JWT for an API key, signed like a session, the same one while it is fresh', async () => {
    const keys = await createKeys();
    const token = await keys.roleToken('service_role');
    expect(await keys.roleToken('service_role')).toBe(token);
    const claims = await keys.verify(token);
    expect(claims).toMatchObject({ role: 'service_role' });
    expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
    expect(decodeProtectedHeader(token).kid).toBe(keys.sessionKid);
  });

  it('refuses forged tokens of the new kind', async () => {
    const keys = await createKeys();
    const claims = {
      role: 'authenticated',
      sub: '00000000-0000-4000-8000-000000000001',
      app_metadata: { role: 'operator' },
    };
    const { privateKey: otherKey } = await generateKeyPair('ES256');
    const rightKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: keys.sessionKid })
      .setExpirationTime(later())
      .sign(otherKey);
    const unknownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'not-a-kid-of-this-stack' })
      .setExpirationTime(later())
      .sign(otherKey);
    const pem = await exportSPKI(
      (await importJWK(keys.publicJwks.keys[0], 'ES256', { extractable: true })) as CryptoKey,
    );
    const hmacWithPublicKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: keys.sessionKid })
      .setExpirationTime(later())
      .sign(new TextEncoder().encode(pem));
    const hmacWithJwk = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: keys.sessionKid })
      .setExpirationTime(later())
      .sign(new TextEncoder().encode(JSON.stringify(keys.publicJwks.keys[0])));
    const none = `${b64url({ alg: 'none', kid: keys.sessionKid })}.${b64url({ ...claims, exp: later() })}.`;
    const legacyWithUnknownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'unknown' })
      .setExpirationTime(later())
      .sign(new TextEncoder().encode(LOCAL_JWT_SECRET));
    for (const [name, token] of Object.entries({
      rightKid,
      unknownKid,
      hmacWithPublicKey,
      hmacWithJwk,
      none,
      legacyWithUnknownKid,
    })) {
      await expect(keys.verify(token), name).rejects.toThrow();
    }
  });

  it('still accepts legacy HS256 tokens: the legacy keys, and sessions signed with the secret (with its kid or none)', async () => {
    const keys = await createKeys();
    const secret = new TextEncoder().encode(LOCAL_JWT_SECRET);
    const withKid = await new SignJWT({ role: 'authenticated', sub: 'u' })
      .setProtectedHeader({ alg: 'HS256', kid: legacyKid(LOCAL_JWT_SECRET) })
      .setExpirationTime(later())
      .sign(secret);
    const withoutKid = await new SignJWT({ role: 'authenticated', sub: 'u' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(later())
      .sign(secret);
    await expect(keys.verify(withKid)).resolves.toMatchObject({ sub: 'u' });
    await expect(keys.verify(withoutKid)).resolves.toMatchObject({ sub: 'u' });
  });

  it('derives API keys from a custom JWT secret, so the well-known secret key opens no stack whose secret was changed', async () => {
    const keys = await createKeys({ jwtSecret: 'a-custom-secret-of-at-least-thirty-two-characters' });
    expect(keys.publishableKey).toMatch(/^sb_publishable_[A-Za-z0-9_-]{32}$/);
    expect(keys.secretKey).toMatch(/^sb_secret_[A-Za-z0-9_-]{32}$/);
    expect(keys.secretKey).not.toBe(LOCAL_SECRET_KEY);
    await expect(keys.apiKeyClaims(LOCAL_SECRET_KEY)).resolves.toBeUndefined();
    const again = await createKeys({ jwtSecret: 'a-custom-secret-of-at-least-thirty-two-characters' });
    expect(again.secretKey).toBe(keys.secretKey);
  });

  it('takes configured API keys and refuses keys of the wrong kind', async () => {
    const keys = await createKeys({
      publishableKey: 'sb_publishable_configured-0123456789',
      secretKey: 'sb_secret_configured-0123456789',
    });
    await expect(keys.apiKeyClaims('sb_publishable_configured-0123456789')).resolves.toEqual({ role: 'anon' });
    await expect(keys.apiKeyClaims(LOCAL_PUBLISHABLE_KEY)).resolves.toBeUndefined();
    await expect(createKeys({ publishableKey: LOCAL_SECRET_KEY })).rejects.toThrow(
      /publishable key must start with sb_publishable_/,
    );
    await expect(createKeys({ secretKey: 'sb_secret_short' })).rejects.toThrow(/secret key/);
  });
});

describe('legacy key model', () => {
  it('signs sessions with HS256 and the legacy kid; publishes no key; gives functions the secret as a symmetric JWK', async () => {
    const keys = await createKeys({ model: 'legacy' });
    const token = await keys.sign({ role: 'authenticated', sub: 'u1' }, 60);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: legacyKid(LOCAL_JWT_SECRET) });
    expect(keys.sessionKid).toBe(legacyKid(LOCAL_JWT_SECRET));
    await expect(keys.verify(token)).resolves.toMatchObject({ sub: 'u1' });
    expect(keys.publicJwks).toEqual({ keys: [] });
    expect(keys.functionJwks).toEqual({
      keys: [
        {
          kty: 'oct',
          k: Buffer.from(LOCAL_JWT_SECRET).toString('base64url'),
          alg: 'HS256',
          kid: legacyKid(LOCAL_JWT_SECRET),
        },
      ],
    });
  });

  it('has no publishable or secret key, and accepts none', async () => {
    const keys = await createKeys({ model: 'legacy' });
    expect(keys.publishableKey).toBeUndefined();
    expect(keys.secretKey).toBeUndefined();
    await expect(keys.apiKeyClaims(LOCAL_PUBLISHABLE_KEY)).resolves.toBeUndefined();
    await expect(keys.apiKeyClaims(LOCAL_SECRET_KEY)).resolves.toBeUndefined();
    expect(keys.isSecretKey(LOCAL_SECRET_KEY)).toBe(false);
    await expect(keys.apiKeyClaims(LOCAL_ANON_KEY)).resolves.toMatchObject({ role: 'anon' });
  });

  it('refuses ES256 tokens: a legacy-only project has no signing key', async () => {
    const keys = await createKeys({ model: 'legacy' });
    const current = await createKeys();
    await expect(keys.verify(await current.sign({ role: 'authenticated', sub: 'u' }, 60))).rejects.toThrow();
  });

  it('the legacy kid depends on the secret and reveals nothing of it', () => {
    expect(legacyKid(LOCAL_JWT_SECRET)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(legacyKid('another-secret-that-is-at-least-32-characters')).not.toBe(legacyKid(LOCAL_JWT_SECRET));
  });
});

describe('key configuration and browsers', () => {
  it('reads [auth] publishable_key / secret_key from config.toml, env(NAME) included', () => {
    const toml =
      '[auth]\nenabled = true\npublishable_key = "sb_publishable_x"\nsecret_key = "env(MY_SECRET)"\n[auth.email]\nenable_signup = false\n';
    expect(apiKeysFromToml(toml, { MY_SECRET: 'sb_secret_y' })).toEqual({
      publishableKey: 'sb_publishable_x',
      secretKey: 'sb_secret_y',
    });
    expect(apiKeysFromToml(toml, {})).toEqual({ publishableKey: 'sb_publishable_x', secretKey: undefined });
    expect(apiKeysFromToml('[auth]\njwt_expiry = 3600\n', {})).toEqual({
      publishableKey: undefined,
      secretKey: undefined,
    });
  });

  it('recognises browsers by their User-Agent, and nothing else as one', () => {
    expect(
      isBrowser(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      ),
    ).toBe(true);
    expect(isBrowser('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(true);
    for (const agent of [undefined, '', 'node', 'curl/8.5.0', 'Deno/2.1.0', 'Python-urllib/3.11', 'undici'])
      expect(isBrowser(agent), String(agent)).toBe(false);
  });
});
