import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config.ts';

describe('configFromEnv', () => {
  it('defaults to 127.0.0.1:54321 and embedded PGlite', () => {
    expect(configFromEnv({})).toEqual({
      port: 54321,
      host: '127.0.0.1',
      databaseUrl: undefined,
      jwtSecret: undefined,
      dataDir: undefined,
    });
  });
  it('reads the environment', () => {
    expect(
      configFromEnv({
        STACK_PORT: '0',
        STACK_HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://x',
        STACK_DATA_DIR: '/d',
        JWT_SECRET: 's'.repeat(32),
      }),
    ).toEqual({ port: 0, host: '0.0.0.0', databaseUrl: 'postgres://x', dataDir: '/d', jwtSecret: 's'.repeat(32) });
  });
  it('reads the key model (STACK_KEY_MODEL): current or legacy', () => {
    expect(configFromEnv({ STACK_KEY_MODEL: 'legacy' }).keyModel).toBe('legacy');
    expect(configFromEnv({ STACK_KEY_MODEL: 'current' }).keyModel).toBe('current');
    expect(configFromEnv({}).keyModel).toBeUndefined();
    expect(() => configFromEnv({ STACK_KEY_MODEL: 'new' })).toThrow(/STACK_KEY_MODEL must be one of current, legacy/);
  });
  it('reads when the functions start (STACK_FUNCTIONS_START): at-start or on-demand', () => {
    expect(configFromEnv({ STACK_FUNCTIONS_START: 'on-demand' }).functionsStart).toBe('on-demand');
    expect(configFromEnv({ STACK_FUNCTIONS_START: 'at-start' }).functionsStart).toBe('at-start');
    expect(configFromEnv({}).functionsStart).toBeUndefined();
    expect(() => configFromEnv({ STACK_FUNCTIONS_START: 'lazy' })).toThrow(
      /STACK_FUNCTIONS_START must be one of at-start, on-demand/,
    );
  });
  it('fails loudly on bad values', () => {
    expect(() => configFromEnv({ STACK_PORT: 'eighty' })).toThrow(/STACK_PORT/);
    expect(() => configFromEnv({ JWT_SECRET: 'short' })).toThrow(/32 characters/);
  });
});
