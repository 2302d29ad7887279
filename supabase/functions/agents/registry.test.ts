// The registry routes of the `agents` function: each calls its SQL function as the caller
// with exactly the fields the body gave, answers the documented shape and status, and turns bad input
// and database refusals into the function's errors — with the CORS, size limit and auth of the commands.
import assert from 'node:assert/strict';
import { AGENT_DESCRIPTION_MAX_LENGTH, MAX_REQUEST_BODY_BYTES } from '@agent-status/domain';
import { handleRequest } from './handler.ts';
import {
  ANON_TOKEN,
  ENV,
  errorOf,
  fakeBackend,
  OPERATOR_TOKEN,
  post,
  postgrestError,
  postgrestJson,
  type BackendCall,
} from './fake_backend.ts';

const AGENT_ID = '6f0c1a52-1c1e-4a53-9a43-1f6c1f7e0b11';
const TOKEN_ID = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';

async function assertError(response: Response, status: number, code: string, message?: RegExp) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  const error = await errorOf(response);
  assert.equal(error.code, code);
  if (message) assert.match(error.message, message);
  assert.doesNotMatch(error.message, /SELECT|stack|at \w+ \(/);
}

const rpcOf = (call: BackendCall) => call.url.replace(`${ENV.SUPABASE_URL}/rest/v1/rpc/`, '');

Deno.test('POST /agents/create adds an agent through create_agent as the caller: 201 with its desired state', async () => {
  const backend = fakeBackend(() =>
    postgrestJson([{ agent_name: 'My Agent', id: AGENT_ID, desired_state: 'stopped', generation: 0 }]),
  );
  const body = {
    agent_name: '  My Agent ',
    description: 'collects',
    heartbeat_interval_seconds: 30,
    offline_after_seconds: 120,
  };
  const response = await handleRequest(post('/agents/create', JSON.stringify(body)), backend.deps);
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await response.json(), {
    agent_name: 'My Agent',
    id: AGENT_ID,
    desired_state: 'stopped',
    generation: 0,
  });
  assert.equal(backend.calls.length, 1);
  assert.equal(rpcOf(backend.calls[0]), 'create_agent');
  assert.equal(backend.calls[0].headers.get('authorization'), `Bearer ${OPERATOR_TOKEN}`);
  assert.deepEqual(backend.calls[0].body, {
    p_agent_name: 'My Agent',
    p_description: 'collects',
    p_heartbeat_interval_seconds: 30,
    p_offline_after_seconds: 120,
  });
});

Deno.test('create sends only what the body gives; null settings are the defaults', async () => {
  const backend = fakeBackend(() =>
    postgrestJson([{ agent_name: 'A', id: AGENT_ID, desired_state: 'stopped', generation: 0 }]),
  );
  await handleRequest(
    post('/agents/create', '{"agent_name":"A","description":null,"offline_after_seconds":null}'),
    backend.deps,
  );
  assert.deepEqual(backend.calls[0].body, { p_agent_name: 'A' });
});

Deno.test('a taken name is 409 agent_exists', async () => {
  const backend = fakeBackend(() => postgrestError(409, '23505', 'an agent named "My Agent" already exists'));
  await assertError(
    await handleRequest(post('/agents/create', '{"agent_name":"My Agent"}'), backend.deps),
    409,
    'agent_exists',
    /"My Agent" already exists/,
  );
  const rename = fakeBackend(() =>
    postgrestError(409, '23505', 'duplicate key value violates unique constraint "agent_status_agent_name_key"'),
  );
  await assertError(
    await handleRequest(post('/agents/update', '{"agent_name":"A","new_name":"B"}'), rename.deps),
    409,
    'agent_exists',
    /"B" already exists/,
  );
});

Deno.test('bad registry input is 400 before any database call, with a message that names the field', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['/agents/create', {}, 'invalid_agent_name', /needs "agent_name"/],
    ['/agents/create', { agent_name: '   ' }, 'invalid_agent_name', /non-empty/],
    ['/agents/create', { agent_name: 'x'.repeat(101) }, 'invalid_agent_name', /longer than 100/],
    [
      '/agents/create',
      { agent_name: 'A', heartbeat_interval: 5 },
      'invalid_field',
      /"heartbeat_interval" is not a field of \/create; use agent_name, description/,
    ],
    [
      '/agents/create',
      { agent_name: 'A', heartbeat_interval_seconds: 0 },
      'invalid_field',
      /between 1 and 3600 seconds, got 0/,
    ],
    ['/agents/create', { agent_name: 'A', heartbeat_interval_seconds: 3601 }, 'invalid_field', /between 1 and 3600/],
    [
      '/agents/create',
      { agent_name: 'A', heartbeat_interval_seconds: 2.5 },
      'invalid_field',
      /whole number of seconds/,
    ],
    [
      '/agents/create',
      { agent_name: 'A', heartbeat_interval_seconds: '10' },
      'invalid_field',
      /whole number of seconds/,
    ],
    ['/agents/create', { agent_name: 'A', offline_after_seconds: 86401 }, 'invalid_field', /between 1 and 86400/],
    ['/agents/create', { agent_name: 'A', description: 5 }, 'invalid_field', /"description" must be a string/],
    [
      '/agents/create',
      { agent_name: 'A', description: 'd'.repeat(AGENT_DESCRIPTION_MAX_LENGTH + 1) },
      'invalid_field',
      /at most 1000 characters \(got 1001\)/,
    ],
    [
      '/agents/update',
      { agent_name: 'A', description: 'bad \ud800 text' },
      'invalid_field',
      /"description" must be valid Unicode text/,
    ],
    ['/agents/create', { agent_name: 'bad \udfff' }, 'invalid_agent_name', /"agent_name" must be valid Unicode text/],
    ['/agents/update', { new_name: 'B' }, 'invalid_agent_name', /needs "agent_name"/],
    [
      '/agents/update',
      { agent_name: 'A', new_name: '' },
      'invalid_agent_name',
      /"new_name" must be a non-empty string/,
    ],
    [
      '/agents/update',
      { agent_name: 'A', heartbeat_interval_seconds: null },
      'invalid_field',
      /whole number of seconds\./,
    ],
    ['/agents/update', { agent_name: 'A', name: 'B' }, 'invalid_field', /"name" is not a field of \/update/],
    ['/agents/delete', {}, 'invalid_agent_name', /needs "agent_name"/],
    [
      '/agents/delete',
      { agent_name: 'A', force: true },
      'invalid_field',
      /"force" is not a field of \/delete; use agent_name\./,
    ],
    [
      '/agents/tokens/issue',
      { agent_name: 'A', label: 'l'.repeat(101) },
      'invalid_field',
      /"label" must be at most 100 characters/,
    ],
    ['/agents/tokens/issue', { agent_name: 'A', label: 7 }, 'invalid_field', /"label" must be a string/],
    ['/agents/tokens/revoke', {}, 'invalid_field', /needs "token_id"/],
    ['/agents/tokens/revoke', { token_id: 'not-a-uuid' }, 'invalid_field', /needs "token_id"/],
    [
      '/agents/tokens/revoke',
      { token_id: TOKEN_ID, agent_name: 'A' },
      'invalid_field',
      /"agent_name" is not a field of \/tokens\/revoke/,
    ],
  ];
  for (const [path, body, code, message] of cases) {
    await assertError(await handleRequest(post(path, JSON.stringify(body)), backend.deps), 400, code, message);
  }
  for (const path of ['/agents/create', '/agents/tokens/issue']) {
    await assertError(await handleRequest(post(path, '{"agent_name":'), backend.deps), 400, 'bad_json');
    await assertError(await handleRequest(post(path, '[]'), backend.deps), 400, 'bad_json');
  }
  assert.equal(backend.calls.length, 0);
});

Deno.test('POST /agents/update sends exactly the changed settings as p_changes and answers the agent', async () => {
  const row = {
    id: AGENT_ID,
    agent_name: 'Renamed',
    description: null,
    heartbeat_interval_seconds: 30,
    offline_after_seconds: null,
    effective_offline_after_seconds: 90,
  };
  const backend = fakeBackend(() => postgrestJson([row]));
  const body = {
    agent_name: 'My Agent',
    new_name: ' Renamed ',
    description: null,
    heartbeat_interval_seconds: 30,
    offline_after_seconds: null,
  };
  const response = await handleRequest(post('/agents/update', JSON.stringify(body)), backend.deps);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), row);
  assert.equal(rpcOf(backend.calls[0]), 'update_agent');
  assert.deepEqual(backend.calls[0].body, {
    p_agent_name: 'My Agent',
    p_changes: { new_name: 'Renamed', description: null, heartbeat_interval_seconds: 30, offline_after_seconds: null },
  });
  const onlyOne = fakeBackend(() => postgrestJson([row]));
  await handleRequest(post('/agents/update', '{"agent_name":"My Agent","description":"x"}'), onlyOne.deps);
  assert.deepEqual(onlyOne.calls[0].body, { p_agent_name: 'My Agent', p_changes: { description: 'x' } });
});

Deno.test("the SQL functions' own input messages are 400 invalid_field", async () => {
  const backend = fakeBackend(() =>
    postgrestError(400, '22023', 'heartbeat_interval_seconds must be between 1 and 3600, got 0'),
  );
  await assertError(
    await handleRequest(post('/agents/update', '{"agent_name":"A","description":"x"}'), backend.deps),
    400,
    'invalid_field',
    /^heartbeat_interval_seconds must be between 1 and 3600, got 0\.$/,
  );
});

Deno.test('POST /agents/delete answers { agent_name, deleted: true }; an unknown agent is 404', async () => {
  const backend = fakeBackend(() => postgrestJson(true));
  const response = await handleRequest(post('/agents/delete', '{"agent_name":"My Agent"}'), backend.deps);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { agent_name: 'My Agent', deleted: true });
  assert.equal(rpcOf(backend.calls[0]), 'delete_agent');
  assert.deepEqual(backend.calls[0].body, { p_agent_name: 'My Agent' });
  for (const path of ['/agents/delete', '/agents/update', '/agents/tokens/issue']) {
    const missing = fakeBackend(() => postgrestError(404, 'PT404', 'unknown agent "Nobody"'));
    await assertError(
      await handleRequest(post(path, '{"agent_name":"Nobody"}'), missing.deps),
      404,
      'agent_not_found',
      /"Nobody"/,
    );
  }
});

Deno.test('POST /agents/tokens/issue: 201 with the token, which appears in this answer only', async () => {
  const backend = fakeBackend(() =>
    postgrestJson([{ token_id: TOKEN_ID, agent_name: 'My Agent', token: 'ast_secret' }]),
  );
  const response = await handleRequest(
    post('/agents/tokens/issue', '{"agent_name":"My Agent","label":"laptop"}'),
    backend.deps,
  );
  assert.equal(response.status, 201);
  assert.deepEqual(await response.json(), { token_id: TOKEN_ID, agent_name: 'My Agent', token: 'ast_secret' });
  assert.equal(rpcOf(backend.calls[0]), 'issue_agent_token');
  assert.deepEqual(backend.calls[0].body, { p_agent_name: 'My Agent', p_label: 'laptop' });
});

Deno.test('POST /agents/tokens/revoke: 200 whether it revoked now or before; an unknown token is 404 token_not_found', async () => {
  // revoke_agent_token answers true when it revoked the token; false when nothing was revoked, and then
  // the token's metadata (RLS: operators) tells "revoked before" from "no such token".
  const cases: Array<[boolean, unknown[] | null, number]> = [
    [true, null, 200],
    [false, [{ id: TOKEN_ID }], 200],
    [false, [], 404],
  ];
  for (const [revoked, metadata, status] of cases) {
    const backend = fakeBackend((call) =>
      call.url.includes('/rpc/') ? postgrestJson(revoked) : postgrestJson(metadata),
    );
    const response = await handleRequest(
      post('/agents/tokens/revoke', JSON.stringify({ token_id: TOKEN_ID.toUpperCase() })),
      backend.deps,
    );
    assert.equal(response.status, status);
    if (status === 200) assert.deepEqual(await response.json(), { token_id: TOKEN_ID, revoked: true });
    else assert.equal((await errorOf(response)).code, 'token_not_found');
    assert.equal(rpcOf(backend.calls[0]), 'revoke_agent_token');
    assert.deepEqual(backend.calls[0].body, { p_token_id: TOKEN_ID });
    assert.equal(backend.calls.length, revoked ? 1 : 2);
    if (!revoked) assert.match(backend.calls[1].url, new RegExp(`/rest/v1/agent_tokens\\?select=id&id=eq.${TOKEN_ID}`));
  }
});

Deno.test('registry routes: viewers 403, anon 401, wrong method 405, preflight, 413 — as the commands', async () => {
  const routes = [
    '/agents/create',
    '/agents/update',
    '/agents/delete',
    '/agents/tokens/issue',
    '/agents/tokens/revoke',
  ];
  const forbidden = fakeBackend(() => postgrestError(403, '42501', 'only operators can add agents'));
  const bodies: Record<string, string> = { '/agents/tokens/revoke': JSON.stringify({ token_id: TOKEN_ID }) };
  const backend = fakeBackend(() => postgrestJson([]));
  for (const path of routes) {
    const body = bodies[path] ?? '{"agent_name":"A"}';
    await assertError(await handleRequest(post(path, body), forbidden.deps), 403, 'forbidden');
    await assertError(
      await handleRequest(post(path, body, { Authorization: `Bearer ${ANON_TOKEN}` }), backend.deps),
      401,
      'unauthorized',
    );
    await assertError(
      await handleRequest(new Request(`http://localhost${path}`, { method: 'GET' }), backend.deps),
      405,
      'method_not_allowed',
    );
    const preflight = await handleRequest(new Request(`http://localhost${path}`, { method: 'OPTIONS' }), backend.deps);
    assert.equal(preflight.status, 204);
    const big = JSON.stringify({ agent_name: 'A', description: 'd'.repeat(MAX_REQUEST_BODY_BYTES) });
    await assertError(await handleRequest(post(path, big), backend.deps), 413, 'payload_too_large');
    // The /functions/v1 prefix and a trailing slash, as for the commands.
    await assertError(await handleRequest(post(`/functions/v1${path}/`, body), forbidden.deps), 403, 'forbidden');
  }
  assert.equal(backend.calls.length, 0);
  await assertError(
    await handleRequest(post('/agents/tokens', '{}'), backend.deps),
    404,
    'not_found',
    /\/tokens\/issue/,
  );
});

Deno.test('POST /agents/tags adds and removes tags on the named agents through tag_agents, normalised', async () => {
  const answer = [
    { agent_name: 'Blog Generator', tags: ['eu', 'prod'] },
    { agent_name: 'Tweet Scheduler', tags: ['eu', 'prod'] },
  ];
  const backend = fakeBackend(() => postgrestJson(answer));
  const body = { agent_names: ['Blog Generator', 'Tweet Scheduler'], add: [' Prod', 'eu'], remove: ['old'] };
  const response = await handleRequest(post('/agents/tags', JSON.stringify(body)), backend.deps);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { agents: answer });
  assert.equal(rpcOf(backend.calls[0]), 'tag_agents');
  assert.deepEqual(backend.calls[0].body, {
    p_agent_names: ['Blog Generator', 'Tweet Scheduler'],
    p_add: ['prod', 'eu'],
    p_remove: ['old'],
  });
});

Deno.test('bad tag input is 400 before any database call; unknown agents 404; viewers 403', async () => {
  const backend = fakeBackend(() => postgrestJson([]));
  for (const [body, field] of [
    [{ agent_names: ['A'] }, /at least one tag/],
    [{ agent_names: ['A'], add: ['two words'] }, /"add": tag "two words" must not contain spaces or commas/],
    [{ agent_names: ['A'], remove: [7] }, /"remove" must be an array of tags/],
    [{ agent_names: ['A'], add: ['x'.repeat(41)] }, /longer than 40 characters/],
    [{ agent_names: ['A'], add: ['ok'], colour: 'red' }, /"colour" is not a field of \/tags/],
  ] as const) {
    await assertError(
      await handleRequest(post('/agents/tags', JSON.stringify(body)), backend.deps),
      400,
      'invalid_field',
      field,
    );
  }
  await assertError(
    await handleRequest(post('/agents/tags', JSON.stringify({ agent_names: [], add: ['x'] })), backend.deps),
    400,
    'invalid_agent_name',
  );
  assert.equal(backend.calls.length, 0);
  const unknown = fakeBackend(() => postgrestError(404, 'PT404', 'unknown agent: "Ghost"'));
  await assertError(
    await handleRequest(post('/agents/tags', JSON.stringify({ agent_names: ['Ghost'], add: ['x'] })), unknown.deps),
    404,
    'agent_not_found',
    /Unknown agent: "Ghost"/,
  );
  const forbidden = fakeBackend(() => postgrestError(403, '42501', 'only operators can tag agents'));
  await assertError(
    await handleRequest(post('/agents/tags', JSON.stringify({ agent_names: ['A'], add: ['x'] })), forbidden.deps),
    403,
    'forbidden',
  );
});
