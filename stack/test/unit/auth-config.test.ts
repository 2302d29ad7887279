import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_AUTH_CONFIG, parseAuthToml, resolveAuthConfig } from '../../src/auth/config.ts';

describe('auth config', () => {
  it('reads the [auth] and [auth.email] tables of the real config.toml', () => {
    const toml = readFileSync(new URL('../../../supabase/config.toml', import.meta.url), 'utf8');
    const config = resolveAuthConfig(toml, {});
    expect(config.jwtExpirySeconds).toBe(3600);
    expect(config.refreshTokenReuseIntervalSeconds).toBe(10);
    expect(config.enableSignup).toBe(false);
    expect(config.signInSignUpsPerFiveMinutes).toBe(30); // [auth.rate_limit] sign_in_sign_ups
  });

  it('parses scalars, ignores comments and other tables', () => {
    const parsed = parseAuthToml(
      [
        '[api]',
        'port = 1',
        '[auth]',
        'jwt_expiry = 60 # one minute',
        'site_url = "http://x#y"',
        'enable_signup = true',
        '[auth.email]',
        'enable_signup = false',
      ].join('\n'),
    );
    expect(parsed.auth).toEqual({ jwt_expiry: 60, site_url: 'http://x#y', enable_signup: true });
    expect(parsed.authEmail).toEqual({ enable_signup: false });
  });

  it('needs sign-up enabled in both tables', () => {
    expect(resolveAuthConfig('[auth]\nenable_signup = true\n[auth.email]\nenable_signup = true', {}).enableSignup).toBe(
      true,
    );
    expect(
      resolveAuthConfig('[auth]\nenable_signup = true\n[auth.email]\nenable_signup = false', {}).enableSignup,
    ).toBe(false);
  });

  it('lets env override lifetimes and limits, and rejects nonsense', () => {
    const config = resolveAuthConfig(undefined, {
      AUTH_JWT_EXPIRY_SECONDS: '5',
      AUTH_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: '0',
      AUTH_SIGNIN_MAX_FAILURES: '3',
      AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '0',
    });
    expect(config.signInSignUpsPerFiveMinutes).toBe(0);
    expect(config.jwtExpirySeconds).toBe(5);
    expect(config.refreshTokenReuseIntervalSeconds).toBe(0);
    expect(config.signInLimit.maxFailures).toBe(3);
    expect(config.signInLimit.baseDelayMs).toBe(DEFAULT_AUTH_CONFIG.signInLimit.baseDelayMs);
    expect(() => resolveAuthConfig(undefined, { AUTH_JWT_EXPIRY_SECONDS: 'soon' })).toThrow(/AUTH_JWT_EXPIRY_SECONDS/);
    expect(() => resolveAuthConfig(undefined, { AUTH_JWT_EXPIRY_SECONDS: '0' })).toThrow(/at least 1/);
  });
});
