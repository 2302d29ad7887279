import assert from 'node:assert/strict';
import { handleRequest } from './handler.ts';
import { SESSION_ENV, token } from '../_shared/test_sessions.ts';

const ENV: Record<string, string> = {
  ...SESSION_ENV,
  SUPABASE_ANON_KEY: 'anon-key',
  SUPABASE_SERVICE_ROLE_KEY: 'service-key',
};
const OPERATOR_TOKEN = await token({
  role: 'authenticated',
  sub: 'u1',
  email: 'op@example.com',
  app_metadata: { role: 'operator' },
});
const deps = {
  env: (name: string) => ENV[name],
  log: () => {},
  fetch: (() => Promise.reject(new Error('no backend in this test'))) as unknown as typeof fetch,
};
const request = (path: string, init: RequestInit = {}) =>
  new Request(`http://localhost${path}`, { method: 'POST', ...init });

Deno.test('routes: preflight, unknown path 404, wrong method 405', async () => {
  assert.equal((await handleRequest(request('/alerts/dispatch', { method: 'OPTIONS' }), deps)).status, 204);
  assert.equal((await handleRequest(request('/alerts/nope'), deps)).status, 404);
  const get = await handleRequest(request('/alerts/dispatch', { method: 'GET' }), deps);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
});

Deno.test('/dispatch wants the secret key in apikey: none, the publishable key or a user token are 401', async () => {
  const cases: Record<string, string>[] = [
    {},
    { apikey: 'anon-key' },
    { apikey: 'wrong' },
    { authorization: 'Bearer some.user.jwt' },
  ];
  for (const headers of cases) {
    const response = await handleRequest(request('/functions/v1/alerts/dispatch', { headers }), deps);
    assert.equal(response.status, 401, JSON.stringify(headers));
    assert.equal((await response.json()).error.code, 'unauthorized');
  }
});

Deno.test('/dispatch with the secret key reaches the database (here: unreachable → 500, logged, no details)', async () => {
  const logged: string[] = [];
  const response = await handleRequest(request('/alerts/dispatch', { headers: { apikey: 'service-key' } }), {
    ...deps,
    log: (line) => logged.push(line),
  });
  assert.equal(response.status, 500);
  assert.equal((await response.json()).error.code, 'internal');
  assert.equal(logged.length, 1);
});

Deno.test('/test needs a user session and a channel id', async () => {
  assert.equal((await handleRequest(request('/alerts/test', { body: '{}' }), deps)).status, 401);
  const response = await handleRequest(
    request('/alerts/test', { body: '{"channel_id": 5}', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }),
    deps,
  );
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.code, 'invalid_channel_id');
});
