import assert from 'node:assert/strict';
import {
  AGENT_NAME_MAX_LENGTH,
  MAX_BULK_AGENT_NAMES,
  MAX_BULK_REQUEST_BODY_BYTES,
  MAX_REQUEST_BODY_BYTES,
} from '@agent-status/domain';
import { handleRequest } from './handler.ts';
import { generateKeyPair } from 'npm:jose@6';
import {
  ANON_TOKEN,
  ENV,
  errorOf,
  fakeBackend,
  KID,
  LEGACY_JWK,
  legacyToken,
  OPERATOR_CLAIMS,
  OPERATOR_TOKEN,
  post,
  postgrestError,
  postgrestJson,
  PUBLIC_JWK,
  token,
} from './fake_backend.ts';

const row = (agent_name: string, desired_state: string, generation: number) => ({
  agent_name,
  desired_state,
  generation,
});
const ALL = ['Content Collector', 'Blog Generator'].map((name) => row(name, 'running', 2));

function assertCors(response: Response) {
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.match(
    response.headers.get('access-control-allow-headers') ?? '',
    /authorization, x-client-info, apikey, content-type/,
  );
}

async function assertError(response: Response, status: number, code: string) {
  assert.equal(response.status, status);
  assertCors(response);
  const error = await errorOf(response);
  assert.equal(error.code, code);
  assert.ok(error.message.length > 0);
  assert.doesNotMatch(error.message, /SELECT|stack|at \w+ \(/);
}

Deno.test('POST /agents/stop calls command_agents as the caller and returns the new desired state', async () => {
  const backend = fakeBackend(() => postgrestJson([row('Content Collector', 'stopped', 7)]));
  const response = await handleRequest(
    post('/agents/stop', JSON.stringify({ agent_name: 'Content Collector' })),
    backend.deps,
  );
  assert.equal(response.status, 200);
  assertCors(response);
  assert.deepEqual(await response.json(), { agent_name: 'Content Collector', desired_state: 'stopped', generation: 7 });

  assert.equal(backend.calls.length, 1);
  const [call] = backend.calls;
  assert.equal(call.method, 'POST');
  assert.equal(call.url, `${ENV.SUPABASE_URL}/rest/v1/rpc/command_agents`);
  assert.equal(call.headers.get('authorization'), `Bearer ${OPERATOR_TOKEN}`);
  assert.equal(call.headers.get('apikey'), ENV.SUPABASE_ANON_KEY);
  assert.deepEqual(call.body, { p_command: 'stop', p_agent_name: 'Content Collector' });
});

for (const command of ['start', 'restart'] as const) {
  Deno.test(`POST /agents/${command} sends the ${command} command`, async () => {
    const backend = fakeBackend(() => postgrestJson([row('Blog Generator', 'running', 3)]));
    const response = await handleRequest(post(`/agents/${command}`, '{"agent_name":"Blog Generator"}'), backend.deps);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), row('Blog Generator', 'running', 3));
    assert.deepEqual(backend.calls[0].body, { p_command: command, p_agent_name: 'Blog Generator' });
  });
}

for (const [path, command] of [
  ['/agents/start-all', 'start'],
  ['/agents/stop-all', 'stop'],
]) {
  Deno.test(`POST ${path} commands every agent in one call and returns them all`, async () => {
    const backend = fakeBackend(() => postgrestJson(ALL));
    const response = await handleRequest(post(path), backend.deps);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { agents: ALL });
    assert.deepEqual(
      backend.calls.map((call) => call.body),
      [{ p_command: command }],
    );
  });
}

Deno.test('the /functions/v1 prefix and a trailing slash are accepted', async () => {
  const backend = fakeBackend(() => postgrestJson(ALL));
  assert.equal((await handleRequest(post('/functions/v1/agents/start-all', '{}'), backend.deps)).status, 200);
  assert.equal((await handleRequest(post('/agents/stop-all/'), backend.deps)).status, 200);
});

Deno.test('OPTIONS preflight is answered with CORS headers and without auth', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  const response = await handleRequest(
    new Request('http://localhost/agents/start', { method: 'OPTIONS' }),
    backend.deps,
  );
  assert.ok(response.status === 200 || response.status === 204);
  assertCors(response);
  assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  assert.equal(backend.calls.length, 0);
});

Deno.test('a wrong method is 405 with Allow', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const response = await handleRequest(new Request('http://localhost/agents/start', { method }), backend.deps);
    assert.equal(response.headers.get('allow'), 'POST, OPTIONS');
    await assertError(response, 405, 'method_not_allowed');
  }
});

Deno.test('an unknown route is 404 not_found', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  for (const path of ['/agents', '/agents/', '/agents/launch', '/agents/start/now', '/agentsx/start', '/other/start']) {
    await assertError(await handleRequest(post(path, '{}'), backend.deps), 404, 'not_found');
  }
  assert.equal(backend.calls.length, 0);
});

Deno.test('no token, a malformed header or the bare anon key is 401 before any database call', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  const body = '{"agent_name":"Content Collector"}';
  const noAuth = new Request('http://localhost/agents/stop', { method: 'POST', body });
  await assertError(await handleRequest(noAuth, backend.deps), 401, 'unauthorized');
  await assertError(
    await handleRequest(post('/agents/stop', body, { Authorization: 'Basic abc' }), backend.deps),
    401,
    'unauthorized',
  );
  await assertError(
    await handleRequest(post('/agents/stop', body, { Authorization: `Bearer ${ANON_TOKEN}` }), backend.deps),
    401,
    'unauthorized',
  );
  assert.equal(backend.calls.length, 0);
});

Deno.test('a token the database rejects (PGRST301) is 401', async () => {
  // A session the function accepts (signature, kid, sub) but PostgREST refuses, e.g. one signed out meanwhile.
  const backend = fakeBackend(() => postgrestError(401, 'PGRST301', 'JWSError JWSInvalidSignature'));
  const response = await handleRequest(post('/agents/stop', '{"agent_name":"Content Collector"}'), backend.deps);
  await assertError(response, 401, 'unauthorized');
});

Deno.test('tokens that are not a session of this project are 401 before any database call', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  const { privateKey: otherKey } = await generateKeyPair('ES256');
  const tokens = {
    'not a JWT': 'not.a.jwt',
    'another key with our kid': await token(OPERATOR_CLAIMS, otherKey, KID),
    'an unknown kid': await token(OPERATOR_CLAIMS, otherKey, 'unknown-kid'),
    'alg none': `${btoa('{"alg":"none","kid":"test-signing-key"}')}.${btoa(JSON.stringify(OPERATOR_CLAIMS))}.`,
    'HS256 keyed with the public key': await legacyTokenKeyedWith(JSON.stringify(PUBLIC_JWK)),
    'a legacy token on a project without the legacy key in its JWKS': await legacyToken(OPERATOR_CLAIMS),
    'an API key': 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH',
  };
  for (const [name, bad] of Object.entries(tokens)) {
    const response = await handleRequest(
      post('/agents/stop', '{"agent_name":"Content Collector"}', { Authorization: `Bearer ${bad}` }),
      backend.deps,
    );
    assert.equal(response.status, 401, name);
    assert.equal((await errorOf(response)).code, 'unauthorized', name);
  }
  assert.equal(backend.calls.length, 0);
});

async function legacyTokenKeyedWith(secret: string): Promise<string> {
  const { SignJWT } = await import('npm:jose@6');
  return new SignJWT(OPERATOR_CLAIMS)
    .setProtectedHeader({ alg: 'HS256', kid: KID })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

Deno.test("the runtime's current variables: the publishable key goes with the caller's token", async () => {
  const env = {
    SUPABASE_URL: ENV.SUPABASE_URL,
    SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_test"}',
    SUPABASE_JWKS: ENV.SUPABASE_JWKS,
  };
  const backend = fakeBackend(() => postgrestJson([row('Content Collector', 'stopped', 2)]), env);
  const response = await handleRequest(post('/agents/stop', '{"agent_name":"Content Collector"}'), backend.deps);
  assert.equal(response.status, 200);
  assert.equal(backend.calls[0].headers.get('apikey'), 'sb_publishable_test');
  assert.equal(backend.calls[0].headers.get('authorization'), `Bearer ${OPERATOR_TOKEN}`);
});

Deno.test('a project still on legacy keys: an HS256 session with the legacy kid, verified through the JWKS the runtime gives', async () => {
  const env = {
    SUPABASE_URL: ENV.SUPABASE_URL,
    SUPABASE_ANON_KEY: ENV.SUPABASE_ANON_KEY,
    SUPABASE_JWKS: JSON.stringify({ keys: [LEGACY_JWK] }),
  };
  const backend = fakeBackend(() => postgrestJson([row('Content Collector', 'stopped', 2)]), env);
  const session = await legacyToken(OPERATOR_CLAIMS);
  const ok = await handleRequest(
    post('/agents/stop', '{"agent_name":"Content Collector"}', { Authorization: `Bearer ${session}` }),
    backend.deps,
  );
  assert.equal(ok.status, 200);
  assert.equal(backend.calls[0].headers.get('apikey'), ENV.SUPABASE_ANON_KEY);
  // The legacy anon key (no kid, no sub) and an ES256 session of no key in this JWKS are refused.
  for (const bad of [await legacyToken({ role: 'anon' }, undefined), OPERATOR_TOKEN]) {
    await assertError(
      await handleRequest(
        post('/agents/stop', '{"agent_name":"Content Collector"}', { Authorization: `Bearer ${bad}` }),
        backend.deps,
      ),
      401,
      'unauthorized',
    );
  }
  assert.equal(backend.calls.length, 1);
});

Deno.test('a runtime that gives no JWKS (and no reachable one) is 500 internal and logged, not a 401 blamed on the caller', async () => {
  const env = { SUPABASE_URL: ENV.SUPABASE_URL, SUPABASE_ANON_KEY: ENV.SUPABASE_ANON_KEY };
  const backend = fakeBackend(() => postgrestJson([]), env);
  await assertError(await handleRequest(post('/agents/start-all'), backend.deps), 500, 'internal');
  assert.match(backend.logs[0], /JWKS/);
  assert.equal(backend.calls.length, 0);
});

Deno.test('a signed-in non-operator is 403 forbidden', async () => {
  const backend = fakeBackend(() => postgrestError(403, '42501', 'only operators can command agents'));
  await assertError(await handleRequest(post('/agents/start-all'), backend.deps), 403, 'forbidden');
});

Deno.test('an unknown agent is 404 agent_not_found', async () => {
  const backend = fakeBackend(() => postgrestError(404, 'PT404', 'unknown agent "Nobody"'));
  const response = await handleRequest(post('/agents/start', '{"agent_name":"Nobody"}'), backend.deps);
  assert.equal(response.status, 404);
  const error = await errorOf(response);
  assert.equal(error.code, 'agent_not_found');
  assert.match(error.message, /Nobody/);
});

Deno.test('an unreachable database is 503 backend_unavailable and is logged', async () => {
  const backend = fakeBackend(() => {
    throw new TypeError('error sending request: connection refused');
  });
  await assertError(await handleRequest(post('/agents/start-all'), backend.deps), 503, 'backend_unavailable');
  assert.equal(backend.logs.length, 1);
  const unavailable = fakeBackend(() =>
    postgrestError(503, 'PGRST001', 'Database client error. Retrying the connection.'),
  );
  await assertError(await handleRequest(post('/agents/start-all'), unavailable.deps), 503, 'backend_unavailable');
});

Deno.test('any other database error is 500 internal without SQL details', async () => {
  const backend = fakeBackend(() => postgrestError(500, 'XX000', 'relation "secret" does not exist'));
  await assertError(await handleRequest(post('/agents/start-all'), backend.deps), 500, 'internal');
  assert.match(backend.logs[0], /XX000/);
});

Deno.test('missing configuration is 500 internal', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  await assertError(
    await handleRequest(post('/agents/start-all'), { ...backend.deps, env: () => undefined }),
    500,
    'internal',
  );
});

Deno.test('malformed JSON and non-object bodies are 400 bad_json', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  for (const body of ['{"agent_name":', 'not json', '[]', '"Content Collector"', 'null', '42']) {
    await assertError(await handleRequest(post('/agents/start', body), backend.deps), 400, 'bad_json');
  }
  assert.equal(backend.calls.length, 0);
});

Deno.test('a missing, empty, non-string or too long agent_name is 400 invalid_agent_name', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  const bodies = [
    undefined,
    '{}',
    '{"agent_name":""}',
    '{"agent_name":"   "}',
    '{"agent_name":42}',
    '{"agent_name":null}',
    '{"name":"Content Collector"}',
    JSON.stringify({ agent_name: 'x'.repeat(AGENT_NAME_MAX_LENGTH + 1) }),
    '{"agent_name":"Content\\u0000Collector"}',
  ];
  for (const body of bodies) {
    await assertError(await handleRequest(post('/agents/stop', body), backend.deps), 400, 'invalid_agent_name');
  }
  assert.equal(backend.calls.length, 0);
});

Deno.test('a name of exactly the maximum length (in characters, not UTF-16 units) is accepted', async () => {
  const backend = fakeBackend(() => postgrestError(404, 'PT404', 'unknown agent'));
  const name = '🤖'.repeat(AGENT_NAME_MAX_LENGTH);
  const response = await handleRequest(post('/agents/stop', JSON.stringify({ agent_name: name })), backend.deps);
  assert.equal((await errorOf(response)).code, 'agent_not_found');
});

Deno.test('start-all and stop-all refuse an agent_name rather than commanding every agent', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  const response = await handleRequest(post('/agents/stop-all', '{"agent_name":"Content Collector"}'), backend.deps);
  await assertError(response, 400, 'invalid_agent_name');
  assert.equal(backend.calls.length, 0);
});

// the single-agent routes also take { agent_names: [...] }, so they read up to
// MAX_BULK_REQUEST_BODY_BYTES; start-all / stop-all (and the registry routes) keep MAX_REQUEST_BODY_BYTES.
// The three checks below run for both limits.
const LIMITS = [
  ['/agents/start', MAX_BULK_REQUEST_BODY_BYTES],
  ['/agents/stop-all', MAX_REQUEST_BODY_BYTES],
] as const;

for (const [path, limit] of LIMITS) {
  Deno.test(`${path}: a declared Content-Length over the limit (${limit}) is 413 without reading the body`, async () => {
    const backend = fakeBackend(() => postgrestJson([]));
    let pulled = false;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new Uint8Array(1024));
        },
      },
      { highWaterMark: 0 },
    );
    const request = post(path, stream, { 'Content-Length': String(limit + 1) });
    await assertError(await handleRequest(request, backend.deps), 413, 'payload_too_large');
    assert.equal(pulled, false);
  });

  Deno.test(`${path}: a streamed body that passes the limit is 413 and reading stops there`, async () => {
    const backend = fakeBackend(() => postgrestJson([]));
    let chunks = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunks++;
        controller.enqueue(new TextEncoder().encode(' '.repeat(1024)));
      },
    });
    await assertError(await handleRequest(post(path, stream), backend.deps), 413, 'payload_too_large');
    assert.ok(chunks <= limit / 1024 + 2, `read ${chunks} chunks`);
  });

  Deno.test(`${path}: a body of exactly the limit is read`, async () => {
    const backend = fakeBackend(() => postgrestJson([row('Content Collector', 'running', 1)]));
    const json = path.endsWith('-all') ? '{}' : JSON.stringify({ agent_name: 'Content Collector' });
    const body = json + ' '.repeat(limit - json.length);
    const response = await handleRequest(post(path, body), backend.deps);
    assert.equal(response.status, 200);
  });
}

Deno.test('POST /agents/stop with agent_names commands those agents in one call to command_agents_json and answers them all', async () => {
  const rows = [row('Blog Generator', 'stopped', 4), row('Tweet Scheduler', 'stopped', 2)];
  const backend = fakeBackend(() => postgrestJson(rows));
  const response = await handleRequest(
    post('/agents/stop', JSON.stringify({ agent_names: ['Tweet Scheduler', 'Blog Generator'] })),
    backend.deps,
  );
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { agents: rows });
  assert.equal(backend.calls.length, 1);
  assert.equal(backend.calls[0].url, `${ENV.SUPABASE_URL}/rest/v1/rpc/command_agents_json`);
  assert.deepEqual(backend.calls[0].body, { p_command: 'stop', p_agent_names: ['Tweet Scheduler', 'Blog Generator'] });
});

Deno.test('start-all asks command_agents_json, whose one JSON value max_rows cannot cut', async () => {
  const many = Array.from({ length: 1500 }, (_, i) => row(`agent-${i}`, 'running', 1));
  const backend = fakeBackend(() => postgrestJson(many));
  const response = await handleRequest(post('/agents/start-all'), backend.deps);
  assert.equal((await response.json()).agents.length, 1500);
  assert.equal(backend.calls[0].url, `${ENV.SUPABASE_URL}/rest/v1/rpc/command_agents_json`);
});

Deno.test('bad agent_names are 400 invalid_agent_name before any database call', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  for (const body of [
    { agent_names: [] },
    { agent_names: 'Blog Generator' },
    { agent_names: ['Blog Generator', 42] },
    { agent_names: ['ok', ''] },
    { agent_names: ['x'.repeat(AGENT_NAME_MAX_LENGTH + 1)] },
    { agent_names: Array.from({ length: MAX_BULK_AGENT_NAMES + 1 }, (_, i) => `a${i}`) },
    { agent_name: 'Blog Generator', agent_names: ['Blog Generator'] },
  ]) {
    await assertError(
      await handleRequest(post('/agents/restart', JSON.stringify(body)), backend.deps),
      400,
      'invalid_agent_name',
    );
  }
  await assertError(
    await handleRequest(post('/agents/start-all', '{"agent_names":["A"]}'), backend.deps),
    400,
    'invalid_agent_name',
  );
  assert.equal(backend.calls.length, 0);
});

Deno.test("unknown agents in agent_names are 404 agent_not_found with the database's list of them", async () => {
  const backend = fakeBackend(() => postgrestError(404, 'PT404', 'unknown agents: "Ghost", "Nobody"'));
  const response = await handleRequest(
    post('/agents/start', JSON.stringify({ agent_names: ['Ghost', 'Nobody'] })),
    backend.deps,
  );
  assert.equal(response.status, 404);
  assert.deepEqual(await errorOf(response), { code: 'agent_not_found', message: 'Unknown agents: "Ghost", "Nobody".' });
});

Deno.test('an unexpected exception is 500 internal and logged, without the stack trace', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  const response = await handleRequest(post('/agents/start-all'), {
    ...backend.deps,
    env: () => {
      throw new Error('boom');
    },
  });
  await assertError(response, 500, 'internal');
  assert.match(backend.logs[0], /boom/);
});
