import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgentClient } from '../../src/index.ts';
import { ANON_KEY, SERVICE_KEY, URL_BASE, createFakeBackend } from './fake-backend.ts';

const server = setupServer();
let backend: ReturnType<typeof createFakeBackend>;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  backend = createFakeBackend();
  backend.addAgent('Collector', 'running');
  server.use(backend.handler);
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const tokenClient = () => createAgentClient({ url: URL_BASE, token: 'token-Collector', anonKey: ANON_KEY });
const serviceClient = () => createAgentClient({ url: URL_BASE, serviceRoleKey: SERVICE_KEY });

describe('createAgentClient().report', () => {
  it('with a token: calls as anon and passes p_token; answers the desired state', async () => {
    const result = await tokenClient().report('heartbeat', { agentName: 'Collector', observedGeneration: 1 });
    expect(result).toEqual({
      ok: true,
      desired: {
        agentId: 'id-1',
        agentName: 'Collector',
        desiredState: 'running',
        generation: 1,
        lastCommand: 'start',
        observedGeneration: 1,
      },
    });
    expect(backend.reports[0].headers).toEqual({ apikey: ANON_KEY, authorization: `Bearer ${ANON_KEY}` });
    expect(backend.reports[0].args).toEqual({
      p_kind: 'heartbeat',
      p_agent_name: 'Collector',
      p_token: 'token-Collector',
      p_observed_generation: 1,
    });
  });

  it('with the service role: calls as service_role by name, without a token', async () => {
    const result = await serviceClient().report('warning', {
      agentName: 'Collector',
      message: 'slow feed',
      health: 60,
    });
    expect(result.ok).toBe(true);
    expect(backend.reports[0].headers.apikey).toBe(SERVICE_KEY);
    expect(backend.reports[0].args).toEqual({
      p_kind: 'warning',
      p_agent_name: 'Collector',
      p_message: 'slow feed',
      p_health: 60,
    });
  });

  it('omits p_health so the database applies its default', async () => {
    await serviceClient().report('error', { agentName: 'Collector', message: 'boom' });
    expect(backend.reports[0].args).not.toHaveProperty('p_health');
    expect(backend.agents.get('Collector')!.health).toBe(30);
  });

  it.each([
    ['a token for another agent', () => tokenClient().report('heartbeat', { agentName: 'Other' }), 'PT403', 403],
    [
      'an unknown token',
      () => createAgentClient({ url: URL_BASE, token: 'nope', anonKey: ANON_KEY }).report('heartbeat'),
      'PT401',
      401,
    ],
    ['an unknown agent', () => serviceClient().report('heartbeat', { agentName: 'Ghost' }), 'PT404', 404],
    [
      'health out of range',
      () => serviceClient().report('warning', { agentName: 'Collector', health: 101 }),
      '22023',
      400,
    ],
  ])('%s → a non-retryable PostgREST-shaped error', async (_what, call, code, status) => {
    const result = await call();
    expect(result).toMatchObject({ ok: false, error: { code, status, retryable: false } });
    if (!result.ok) expect(result.error.message).toBeTruthy();
  });

  it('an unreachable backend → retryable NETWORK error, never a throw', async () => {
    backend.setOutage('network');
    const result = await tokenClient().report('heartbeat');
    expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK', status: 0, retryable: true } });
  });

  it('a 5xx → retryable', async () => {
    backend.setOutage(500);
    expect(await tokenClient().report('heartbeat')).toMatchObject({
      ok: false,
      error: { code: 'PGRST000', status: 503, retryable: true },
    });
  });

  it('a backend that does not answer → retryable TIMEOUT', async () => {
    server.use(
      http.post(`${URL_BASE}/rest/v1/rpc/agent_report`, async () => {
        await delay('infinite');
        return HttpResponse.json([]);
      }),
    );
    const client = createAgentClient({ url: URL_BASE, serviceRoleKey: SERVICE_KEY, requestTimeoutMs: 50 });
    expect(await client.report('heartbeat', { agentName: 'Collector' })).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT', status: 0, retryable: true },
    });
  });

  it("the server's message is inert: no control character of it reaches the result (nor the log)", async () => {
    server.use(
      http.post(`${URL_BASE}/rest/v1/rpc/agent_report`, () =>
        HttpResponse.json(
          { code: 'PT401\u001b[2J', message: 'x\u001b]0;pwned\u0007\u009b2J\r\nforged line' },
          { status: 401 },
        ),
      ),
    );
    const result = await tokenClient().report('heartbeat');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe('x\\x1b]0;pwned\\x07\\x9b2J\\x0d\\x0aforged line');
    expect(result.error.code).toBe('PT401\\x1b[2J');
    expect(`${result.error.code} ${result.error.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('needs credentials', () => {
    expect(() => createAgentClient({ url: URL_BASE } as never)).toThrow(/token, anonKey|serviceRoleKey/);
  });
});
