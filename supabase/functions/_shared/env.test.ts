import assert from 'node:assert/strict';
import { functionEnv } from './env.ts';

const read = (vars: Record<string, string>) => (name: string) => vars[name];
const JWK = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1', alg: 'ES256' };

Deno.test("the runtime's current variables come first", () => {
  const env = functionEnv(
    read({
      SUPABASE_URL: 'http://project.test',
      SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_a","web":"sb_publishable_b"}',
      SUPABASE_SECRET_KEYS: '{"default":"sb_secret_a"}',
      SUPABASE_JWKS: JSON.stringify({ keys: [JWK] }),
      SUPABASE_ANON_KEY: 'legacy-anon',
      SUPABASE_SERVICE_ROLE_KEY: 'legacy-service',
    }),
  );
  assert.deepEqual(env, {
    url: 'http://project.test',
    publishableKeys: { default: 'sb_publishable_a', web: 'sb_publishable_b', legacy: 'legacy-anon' },
    secretKeys: { default: 'sb_secret_a', legacy: 'legacy-service' },
    jwks: { keys: [JWK] },
  });
});

Deno.test('legacy keys are the default ones when a project has no new ones', () => {
  const env = functionEnv(
    read({
      SUPABASE_URL: 'http://project.test',
      SUPABASE_ANON_KEY: 'legacy-anon',
      SUPABASE_SERVICE_ROLE_KEY: 'legacy-service',
    }),
  );
  assert.deepEqual(env.publishableKeys, { default: 'legacy-anon' });
  assert.deepEqual(env.secretKeys, { default: 'legacy-service' });
  assert.equal(env.jwks, null);
});

Deno.test('a bare JWKS array is accepted; malformed JSON is ignored, not thrown', () => {
  assert.deepEqual(functionEnv(read({ SUPABASE_URL: 'u', SUPABASE_JWKS: JSON.stringify([JWK]) })).jwks, {
    keys: [JWK],
  });
  const env = functionEnv(
    read({
      SUPABASE_URL: 'u',
      SUPABASE_JWKS: '{oops',
      SUPABASE_SECRET_KEYS: '[1',
      SUPABASE_SERVICE_ROLE_KEY: 'legacy',
    }),
  );
  assert.equal(env.jwks, null);
  assert.deepEqual(env.secretKeys, { default: 'legacy' });
});

Deno.test('without SUPABASE_URL the function says it is not configured', () => {
  assert.throws(() => functionEnv(read({})), /SUPABASE_URL is not set/);
});
