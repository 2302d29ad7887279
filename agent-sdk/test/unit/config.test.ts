import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, configFromEnv, loadAgentConfig } from '../../src/index.ts';

describe('configuration from the environment', () => {
  it('uses the agent token with the anon key', () => {
    expect(
      configFromEnv({ SUPABASE_URL: 'http://127.0.0.1:54321/', AGENT_TOKEN: 't', SUPABASE_ANON_KEY: 'a' }),
    ).toEqual({
      url: 'http://127.0.0.1:54321',
      token: 't',
      anonKey: 'a',
    });
  });

  it('accepts the publishable key in place of the anon key', () => {
    expect(
      configFromEnv({ SUPABASE_URL: 'https://x.supabase.co', AGENT_TOKEN: 't', SUPABASE_PUBLISHABLE_KEY: 'p' }),
    ).toMatchObject({
      anonKey: 'p',
    });
  });

  it('uses the service role key when there is no token', () => {
    expect(configFromEnv({ SUPABASE_URL: 'http://h', SUPABASE_SERVICE_ROLE_KEY: 's' })).toEqual({
      url: 'http://h',
      serviceRoleKey: 's',
    });
  });

  it('takes the current names first: SUPABASE_PUBLISHABLE_KEY over SUPABASE_ANON_KEY, SUPABASE_SECRET_KEY over SUPABASE_SERVICE_ROLE_KEY', () => {
    const both = {
      SUPABASE_URL: 'http://h',
      AGENT_TOKEN: 't',
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_new',
      SUPABASE_ANON_KEY: 'legacy-anon',
    };
    expect(configFromEnv(both)).toMatchObject({ anonKey: 'sb_publishable_new' });
    expect(
      configFromEnv({
        SUPABASE_URL: 'http://h',
        SUPABASE_SECRET_KEY: 'sb_secret_new',
        SUPABASE_SERVICE_ROLE_KEY: 'legacy',
      }),
    ).toEqual({
      url: 'http://h',
      serviceRoleKey: 'sb_secret_new',
    });
  });

  it('refuses a key in the wrong variable: a secret key with an agent token, the publishable key as the secret one', () => {
    const serviceJwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"role":"service_role"}').toString('base64url')}.sig`;
    const anonJwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"role":"anon"}').toString('base64url')}.sig`;
    for (const secret of ['sb_secret_abc', serviceJwt]) {
      expect(() =>
        configFromEnv({ SUPABASE_URL: 'http://h', AGENT_TOKEN: 't', SUPABASE_PUBLISHABLE_KEY: secret }),
      ).toThrow(/holds a secret key/);
      expect(() => configFromEnv({ SUPABASE_URL: 'http://h', AGENT_TOKEN: 't', SUPABASE_ANON_KEY: secret })).toThrow(
        /SUPABASE_ANON_KEY holds a secret key/,
      );
    }
    for (const publishable of ['sb_publishable_abc', anonJwt]) {
      expect(() => configFromEnv({ SUPABASE_URL: 'http://h', SUPABASE_SECRET_KEY: publishable })).toThrow(
        /holds the publishable/,
      );
    }
  });

  it('prefers the token (least privilege) when both are set', () => {
    const config = configFromEnv({
      SUPABASE_URL: 'http://h',
      AGENT_TOKEN: 't',
      SUPABASE_ANON_KEY: 'a',
      SUPABASE_SERVICE_ROLE_KEY: 's',
    });
    expect(config.token).toBe('t');
  });

  it.each([
    [{}, /SUPABASE_URL is not set/],
    [{ SUPABASE_URL: 'not a url', SUPABASE_SERVICE_ROLE_KEY: 's' }, /SUPABASE_URL is not a valid URL/],
    [{ SUPABASE_URL: 'ftp://h', SUPABASE_SERVICE_ROLE_KEY: 's' }, /must start with http/],
    [{ SUPABASE_URL: 'http://h', AGENT_TOKEN: 't' }, /SUPABASE_ANON_KEY/],
    [{ SUPABASE_URL: 'http://h' }, /set AGENT_TOKEN .* or SUPABASE_SERVICE_ROLE_KEY/],
    [{ SUPABASE_URL: 'http://h', SUPABASE_SERVICE_ROLE_KEY: '  ' }, /no agent credentials/],
  ])('rejects %o with a clear error', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigurationError);
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it('fills missing variables from a .env file without overriding the real environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'SUPABASE_URL=http://from-file\nAGENT_TOKEN=file-token\nSUPABASE_ANON_KEY=file-anon\n');
    const config = loadAgentConfig({ env: { AGENT_TOKEN: 'real-token' }, envFile: file });
    expect(config).toEqual({ url: 'http://from-file', token: 'real-token', anonKey: 'file-anon' });
  });

  it('works without a .env file', () => {
    expect(
      loadAgentConfig({
        env: { SUPABASE_URL: 'http://h', SUPABASE_SERVICE_ROLE_KEY: 's' },
        envFile: '/nonexistent/.env',
      }),
    ).toMatchObject({
      serviceRoleKey: 's',
    });
  });
});
