import { describe, expect, it } from 'vitest';
import { readConfig } from './supabase.ts';

describe('readConfig', () => {
  it('reads the URL and the publishable key', () => {
    expect(readConfig({ VITE_SUPABASE_URL: 'http://x', VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_a' })).toEqual({
      ok: true,
      config: { url: 'http://x', publishableKey: 'sb_publishable_a' },
    });
  });

  it('accepts the legacy VITE_SUPABASE_ANON_KEY, and prefers the publishable key when both are set', () => {
    expect(readConfig({ VITE_SUPABASE_URL: 'http://x', VITE_SUPABASE_ANON_KEY: 'eyJ.anon.key' })).toMatchObject({
      config: { publishableKey: 'eyJ.anon.key' },
    });
    expect(
      readConfig({
        VITE_SUPABASE_URL: 'http://x',
        VITE_SUPABASE_ANON_KEY: 'eyJ.anon.key',
        VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_a',
      }),
    ).toMatchObject({ config: { publishableKey: 'sb_publishable_a' } });
  });

  it('names what is missing', () => {
    expect(readConfig({})).toEqual({ ok: false, missing: ['VITE_SUPABASE_URL', 'VITE_SUPABASE_PUBLISHABLE_KEY'] });
    expect(readConfig({ VITE_SUPABASE_PUBLISHABLE_KEY: ' ', VITE_SUPABASE_URL: 'http://x' })).toEqual({
      ok: false,
      missing: ['VITE_SUPABASE_PUBLISHABLE_KEY'],
    });
  });
});
