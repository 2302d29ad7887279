import assert from 'node:assert/strict';
import { handleRequest, type HandlerDeps } from './handler.ts';

const ENV: Record<string, string> = { SUPABASE_URL: 'http://supabase.test', SUPABASE_ANON_KEY: 'anon-key-for-tests' };
const AGENT = {
  agent_name: 'Content Collector',
  state: 'running',
  up: true,
  health: 90,
  last_heartbeat_seconds: 1764250000,
  desired_running: true,
  pending: false,
  errors_total: 2,
  restarts_total: 1,
  offline_total: 0,
};

type Call = { url: string; headers: Headers; body: Record<string, unknown> };

function backend(respond: (call: Call) => Response) {
  const calls: Call[] = [];
  const logs: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const call = { url: request.url, headers: request.headers, body: JSON.parse(await request.text()) };
    calls.push(call);
    return respond(call);
  };
  const deps: Partial<HandlerDeps> = { env: (name) => ENV[name], fetch, log: (line) => logs.push(line) };
  return { calls, logs, deps };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Request(`http://localhost${path}`, { method, headers });

Deno.test('GET /metrics passes the bearer token to metrics_snapshot as the anon role and renders the text format', async () => {
  const fake = backend(() =>
    json({
      agents: [AGENT],
      custom: [{ agent_name: 'Content Collector', metric: 'articles_collected', kind: 'counter', value: 42 }],
    }),
  );
  const response = await handleRequest(get('/metrics', { Authorization: 'Bearer asm_secret' }), fake.deps);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const text = await response.text();
  assert.match(text, /^agent_status_up\{agent="Content Collector"\} 1$/m);
  assert.match(text, /^agent_status_restarts_total\{agent="Content Collector"\} 1$/m);
  assert.match(text, /^agent_status_custom_total\{agent="Content Collector",metric="articles_collected"\} 42$/m);
  assert.equal(fake.calls.length, 1);
  assert.equal(fake.calls[0].url, 'http://supabase.test/rest/v1/rpc/metrics_snapshot');
  assert.equal(fake.calls[0].headers.get('apikey'), 'anon-key-for-tests');
  assert.deepEqual(fake.calls[0].body, { p_token: 'asm_secret' });
});

Deno.test('the current key variables are used when present', async () => {
  const fake = backend(() => json({ agents: [] }));
  const env: Record<string, string> = {
    SUPABASE_URL: 'http://supabase.test',
    SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_x"}',
    SUPABASE_ANON_KEY: 'legacy',
  };
  await handleRequest(get('/functions/v1/metrics/', { Authorization: 'Bearer t' }), {
    ...fake.deps,
    env: (name) => env[name],
  });
  assert.equal(fake.calls[0].headers.get('apikey'), 'sb_publishable_x');
});

Deno.test('no bearer token is 401 with a Bearer challenge, before any database call', async () => {
  const fake = backend(() => json({ agents: [] }));
  for (const headers of [{}, { Authorization: 'Basic abc' }, { Authorization: 'Bearer' }] as Record<string, string>[]) {
    const response = await handleRequest(get('/metrics', headers), fake.deps);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
    assert.equal((await response.json()).error.code, 'unauthorized');
  }
  assert.equal(fake.calls.length, 0);
});

Deno.test('a token the database refuses (PT401) is 401', async () => {
  const fake = backend(() =>
    json({ code: 'PT401', message: 'invalid or revoked metrics token', details: null, hint: null }, 401),
  );
  const response = await handleRequest(get('/metrics', { Authorization: 'Bearer wrong' }), fake.deps);
  assert.equal(response.status, 401);
  assert.match((await response.json()).error.message, /invalid or has been revoked/);
});

Deno.test('an unreachable database is 503 and logged; any other database error is 500 without details', async () => {
  const down = backend(() => json({ code: 'PGRST001', message: 'no connection', details: null, hint: null }, 503));
  assert.equal((await handleRequest(get('/metrics', { Authorization: 'Bearer t' }), down.deps)).status, 503);
  assert.equal(down.logs.length, 1);
  const broken = backend(() =>
    json({ code: 'XX000', message: 'relation "secret" does not exist', details: null, hint: null }, 500),
  );
  const response = await handleRequest(get('/metrics/badge/asb_x.svg'), broken.deps);
  assert.equal(response.status, 500);
  assert.doesNotMatch(await response.text(), /secret/);
});

Deno.test('badges: SVG and shields JSON from badge_state; an unknown key is 404', async () => {
  const fake = backend((call) =>
    json(call.body.p_key === 'asb_known' ? { agent_name: null, state: null, up: 5, total: 6 } : null),
  );
  const svg = await handleRequest(get('/metrics/badge/asb_known.svg'), fake.deps);
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
  assert.match(await svg.text(), /5 up, 1 down/);
  const shields = await handleRequest(get('/functions/v1/metrics/badge/asb_known.json'), fake.deps);
  assert.deepEqual(await shields.json(), {
    schemaVersion: 1,
    label: 'agents',
    message: '5 up, 1 down',
    color: 'orange',
  });
  assert.equal(shields.headers.get('access-control-allow-origin'), '*');
  const unknown = await handleRequest(get('/metrics/badge/asb_nope.svg'), fake.deps);
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error.code, 'not_found');
});

Deno.test('unknown routes are 404, other methods (HEAD too, as hosted) 405, OPTIONS is answered', async () => {
  const fake = backend(() => json({ agents: [] }));
  for (const path of [
    '/metrics/other',
    '/metrics/badge/',
    '/metrics/badge/x.png',
    '/metrics/badge/a/b.svg',
    '/agents',
  ]) {
    assert.equal((await handleRequest(get(path), fake.deps)).status, 404, path);
  }
  const post = await handleRequest(get('/metrics', {}, 'POST'), fake.deps);
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, OPTIONS');
  const head = await handleRequest(get('/metrics', { Authorization: 'Bearer t' }, 'HEAD'), fake.deps);
  assert.equal(head.status, 405);
  assert.equal(head.headers.get('allow'), 'GET, OPTIONS');
  const options = await handleRequest(get('/metrics', {}, 'OPTIONS'), fake.deps);
  assert.equal(options.status, 204);
  assert.match(options.headers.get('access-control-allow-methods') ?? '', /GET/);
  assert.equal(fake.calls.length, 0);
});
