import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NAME_MAX_LENGTH, MAX_BULK_REQUEST_BODY_BYTES, MAX_REQUEST_BODY_BYTES } from '@agent-status/domain';
import {
  client,
  clients,
  createUser,
  databases,
  KEY_MODEL,
  startTestStack,
  type RunningStack,
} from '../support/stack.ts';
import { AGENT_NAMES } from '@agent-status/agents/catalog';

const SEEDED_AGENTS = AGENT_NAMES;
const OPERATOR = { email: 'operator@example.com', password: 'operator-password-1', role: 'operator' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-1', role: 'viewer' };

describe.each(databases)('Edge Function agents ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  let operator: SupabaseClient;
  let viewer: SupabaseClient;
  let anon: SupabaseClient;
  let operatorToken: string;

  /** A raw request to the function, for what supabase-js would not send (bad JSON, GET, preflight). */
  function call(route: string, init: RequestInit & { token?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
    if (!headers.has('Content-Type') && init.body) headers.set('Content-Type', 'application/json');
    return fetch(`${stack.url}/functions/v1/agents${route}`, { method: 'POST', ...init, headers });
  }

  async function expectError(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = await response.json();
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
  }

  /** The error body of a failed supabase.functions.invoke. */
  async function invokeError(error: unknown) {
    expect(error).toBeInstanceOf(FunctionsHttpError);
    const response = (error as FunctionsHttpError).context as Response;
    return { status: response.status, body: await response.json() };
  }

  async function desiredState(agentName: string) {
    const { rows } = await stack.db.query<{ desired_state: string; generation: number; requested_by_email: string }>(
      `select d.desired_state, d.generation::int as generation, d.requested_by_email
         from public.agent_desired_state d join public.agent_status s on s.id = d.agent_id
        where s.agent_name = $1`,
      [agentName],
    );
    return rows[0];
  }

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
    const { signIn, anon: anonClient } = clients(stack);
    for (const user of [OPERATOR, VIEWER]) await createUser(stack, user);
    operator = await signIn(OPERATOR.email, OPERATOR.password);
    viewer = await signIn(VIEWER.email, VIEWER.password);
    anon = anonClient;
    operatorToken = (await operator.auth.getSession()).data.session!.access_token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("records an operator's stop with a new generation, the actor's email and a command event", async () => {
    await operator.functions.invoke('agents/start', { body: { agent_name: 'Content Collector' } });
    const before = await desiredState('Content Collector');
    const { data, error } = await operator.functions.invoke('agents/stop', {
      body: { agent_name: 'Content Collector' },
    });
    expect(error).toBeNull();
    expect(data).toEqual({
      agent_name: 'Content Collector',
      desired_state: 'stopped',
      generation: before.generation + 1,
    });

    const after = await desiredState('Content Collector');
    expect(after).toEqual({
      desired_state: 'stopped',
      generation: before.generation + 1,
      requested_by_email: OPERATOR.email,
    });
    const { rows } = await stack.db.query<{ command: string; actor_email: string; generation: number }>(
      `select e.command, e.actor_email, e.generation::int as generation
         from public.agent_events e join public.agent_status s on s.id = e.agent_id
        where s.agent_name = 'Content Collector' and e.kind = 'command' order by e.id desc limit 1`,
    );
    expect(rows[0]).toEqual({ command: 'stop', actor_email: OPERATOR.email, generation: before.generation + 1 });
  });

  it('start is idempotent (no new generation) and restart always bumps it', async () => {
    const first = await operator.functions.invoke('agents/start', { body: { agent_name: 'Blog Generator' } });
    const again = await operator.functions.invoke('agents/start', { body: { agent_name: 'Blog Generator' } });
    expect(again.data).toEqual({ ...first.data, desired_state: 'running' });
    const restarted = await operator.functions.invoke('agents/restart', { body: { agent_name: 'Blog Generator' } });
    expect(restarted.data).toEqual({
      agent_name: 'Blog Generator',
      desired_state: 'running',
      generation: first.data.generation + 1,
    });
  });

  it('start-all and stop-all command all six agents in one call', async () => {
    const started = await operator.functions.invoke('agents/start-all');
    expect(started.error).toBeNull();
    expect(started.data.agents.map((a: { agent_name: string }) => a.agent_name).sort()).toEqual(
      [...SEEDED_AGENTS].sort(),
    );
    expect(started.data.agents.every((a: { desired_state: string }) => a.desired_state === 'running')).toBe(true);

    const stopped = await operator.functions.invoke('agents/stop-all', { method: 'POST' });
    expect(stopped.data.agents).toHaveLength(SEEDED_AGENTS.length);
    expect(stopped.data.agents.every((a: { desired_state: string }) => a.desired_state === 'stopped')).toBe(true);
    const { rows } = await stack.db.query<{ n: number }>(
      `select count(*)::int as n from public.agent_desired_state where desired_state = 'stopped'`,
    );
    expect(rows[0].n).toBe(SEEDED_AGENTS.length);
  });

  it('refuses a viewer with 403 forbidden and changes nothing', async () => {
    const before = await desiredState('Tweet Scheduler');
    const { error } = await viewer.functions.invoke('agents/start', { body: { agent_name: 'Tweet Scheduler' } });
    const { status, body } = await invokeError(error);
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
    expect(await desiredState('Tweet Scheduler')).toEqual(before);
  });

  it('refuses the anon key alone with 401 unauthorized', async () => {
    // The legacy anon key is a JWT, so it passes the platform's verify_jwt; the function finds no user in it.
    const legacyAnon = client(stack, stack.anonKey);
    const { error } = await legacyAnon.functions.invoke('agents/start-all');
    const { status, body } = await invokeError(error);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it.skipIf(KEY_MODEL === 'legacy')(
    'refuses the publishable key alone with 401 at the gateway: an API key is not a JWT (hosted: "Invalid JWT")',
    async () => {
      const { error } = await anon.functions.invoke('agents/start-all');
      const { status, body } = await invokeError(error);
      expect(status).toBe(401);
      expect(body).toEqual({ code: 401, message: 'Invalid JWT' });
    },
  );

  it('accepts a session of either key model: ES256 with the signing key, or HS256 with the kid of the legacy secret', async () => {
    const header = JSON.parse(Buffer.from(operatorToken.split('.')[0], 'base64url').toString());
    expect(header).toEqual({
      alg: stack.keyModel === 'current' ? 'ES256' : 'HS256',
      typ: 'JWT',
      kid: stack.keys.sessionKid,
    });
    const response = await call('/stop', {
      token: operatorToken,
      body: JSON.stringify({ agent_name: 'Engagement Analyzer' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ agent_name: 'Engagement Analyzer', desired_state: 'stopped' });
  });

  it('refuses a request without a valid JWT at the gateway (verify_jwt), as hosted', async () => {
    const missing = await call('/start-all');
    expect(missing.status).toBe(401);
    const forged = await call('/start-all', { token: `${operatorToken.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
  });

  it('answers 400 for malformed JSON, a missing agent_name and a too long name', async () => {
    await expectError(await call('/start', { token: operatorToken, body: '{"agent_name":' }), 400, 'bad_json');
    await expectError(await call('/start', { token: operatorToken, body: '{}' }), 400, 'invalid_agent_name');
    const long = JSON.stringify({ agent_name: 'x'.repeat(AGENT_NAME_MAX_LENGTH + 1) });
    await expectError(await call('/start', { token: operatorToken, body: long }), 400, 'invalid_agent_name');
  });

  it('answers 404 agent_not_found for an unknown agent', async () => {
    const { error } = await operator.functions.invoke('agents/stop', { body: { agent_name: 'No Such Agent' } });
    const { status, body } = await invokeError(error);
    expect(status).toBe(404);
    expect(body.error.code).toBe('agent_not_found');
  });

  // /start, /stop, /restart also take { agent_names: [...] } and read up to MAX_BULK_REQUEST_BODY_BYTES;
  // start-all / stop-all keep MAX_REQUEST_BODY_BYTES (before, /start was checked against the small limit).
  it('answers 413 for a body over the limit', async () => {
    const body = JSON.stringify({ agent_name: 'Content Collector', padding: 'x'.repeat(MAX_BULK_REQUEST_BODY_BYTES) });
    await expectError(await call('/start', { token: operatorToken, body }), 413, 'payload_too_large');
    const small = JSON.stringify({ padding: 'x'.repeat(MAX_REQUEST_BODY_BYTES) });
    await expectError(await call('/start-all', { token: operatorToken, body: small }), 413, 'payload_too_large');
  });

  it('answers 405 with Allow for GET and 404 for an unknown route', async () => {
    const get = await call('/start', { method: 'GET', token: operatorToken });
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    await expectError(get, 405, 'method_not_allowed');
    await expectError(await call('/launch', { token: operatorToken, body: '{}' }), 404, 'not_found');
  });

  it('answers a CORS preflight', async () => {
    const response = await call('/start', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, apikey, x-client-info',
      },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
    expect((response.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('authorization');
    expect((response.headers.get('access-control-allow-methods') ?? '').toUpperCase()).toContain('POST');
  });
});
