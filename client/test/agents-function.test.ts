// The `agents` function's routes through the real supabase-js client against msw: each request's route
// and body, each answer's shape, and every way a call fails becoming one Failure.
import { createClient } from '@supabase/supabase-js';
import type { Database } from '@agent-status/domain';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createAgent,
  deleteAgent,
  invoke,
  issueAgentToken,
  revokeAgentToken,
  sendCommand,
  sendCommandToAll,
  tagAgents,
  updateAgent,
} from '../src/index.ts';

const URL_BASE = 'http://supabase.test';
const server = setupServer();
const client = createClient<Database>(URL_BASE, 'publishable-key-for-tests', {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as never },
});

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Answers `route` with `answer` and records the bodies it was sent. */
function answering(route: string, answer: JsonBodyType) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${URL_BASE}/functions/v1/${route}`, async ({ request }) => {
      bodies.push(await request.json());
      return HttpResponse.json(answer);
    }),
  );
  return bodies;
}

const stopped = { agent_name: 'Collector', desired_state: 'stopped', generation: 4 } as const;

describe('each route: its request, its answer', () => {
  it.each([
    {
      call: () => sendCommand(client, 'stop', 'Collector'),
      route: 'agents/stop',
      body: { agent_name: 'Collector' },
      answer: stopped,
      value: [stopped],
    },
    {
      call: () => sendCommand(client, 'stop', ['Collector', 'Blog']),
      route: 'agents/stop',
      body: { agent_names: ['Collector', 'Blog'] },
      answer: { agents: [stopped] },
      value: [stopped],
    },
    {
      call: () => sendCommandToAll(client, 'start'),
      route: 'agents/start-all',
      body: {},
      answer: { agents: [] },
      value: [],
    },
    {
      call: () => createAgent(client, 'New', { heartbeat_interval_seconds: 30 }),
      route: 'agents/create',
      body: { agent_name: 'New', heartbeat_interval_seconds: 30 },
      answer: { agent_name: 'New', id: 'a1', desired_state: 'stopped', generation: 0 },
      value: { agent_name: 'New', id: 'a1', desired_state: 'stopped', generation: 0 },
    },
    {
      call: () => updateAgent(client, 'New', { new_name: 'Newer', description: null }),
      route: 'agents/update',
      body: { agent_name: 'New', new_name: 'Newer', description: null },
      answer: { agent_name: 'Newer', description: null },
      value: { agent_name: 'Newer', description: null },
    },
    {
      call: () => deleteAgent(client, 'New'),
      route: 'agents/delete',
      body: { agent_name: 'New' },
      answer: { agent_name: 'New', deleted: true },
      value: { agent_name: 'New', deleted: true },
    },
    {
      call: () => issueAgentToken(client, 'New'),
      route: 'agents/tokens/issue',
      body: { agent_name: 'New' },
      answer: { token_id: 't1', agent_name: 'New', token: 'secret' },
      value: { token_id: 't1', agent_name: 'New', token: 'secret' },
    },
    {
      call: () => issueAgentToken(client, 'New', 'prod host'),
      route: 'agents/tokens/issue',
      body: { agent_name: 'New', label: 'prod host' },
      answer: { token_id: 't2', agent_name: 'New', token: 'secret' },
      value: { token_id: 't2', agent_name: 'New', token: 'secret' },
    },
    {
      call: () => revokeAgentToken(client, 't1'),
      route: 'agents/tokens/revoke',
      body: { token_id: 't1' },
      answer: { token_id: 't1', revoked: true },
      value: { token_id: 't1', revoked: true },
    },
    {
      call: () => tagAgents(client, ['New'], { add: ['prod'] }),
      route: 'agents/tags',
      body: { agent_names: ['New'], add: ['prod'], remove: [] },
      answer: { agents: [{ agent_name: 'New', tags: ['prod'] }] },
      value: [{ agent_name: 'New', tags: ['prod'] }],
    },
  ])('$route $body', async ({ call, route, body, answer, value }) => {
    const bodies = answering(route, answer);
    expect(await call()).toEqual({ ok: true, value });
    expect(bodies).toEqual([body]);
  });
});

describe('a failed call is one Failure, never a throw', () => {
  const failing = (response: () => Response) => server.use(http.post(`${URL_BASE}/functions/v1/agents/stop`, response));

  it.each([
    {
      name: "the function's error body: its code and message",
      response: () =>
        HttpResponse.json(
          { error: { code: 'forbidden', message: 'Only operators can do this. Ask an operator to change your role.' } },
          { status: 403 },
        ),
      error: {
        code: 'forbidden',
        message: 'Only operators can do this. Ask an operator to change your role.',
        status: 403,
      },
    },
    {
      name: "a gateway's { message } without a code",
      response: () => HttpResponse.json({ message: 'Invalid JWT' }, { status: 401 }),
      error: { code: 'http_401', message: 'Invalid JWT', status: 401 },
    },
    {
      name: 'a body that is not JSON',
      response: () => new HttpResponse('<html>bad gateway</html>', { status: 502 }),
      error: { code: 'http_502', message: 'the server answered 502', status: 502 },
    },
  ])('$name', async ({ response, error }) => {
    failing(response);
    expect(await sendCommand(client, 'stop', 'Collector')).toEqual({ ok: false, error });
  });

  it('no answer at all: unreachable, status 0', async () => {
    failing(() => HttpResponse.error());
    const result = await sendCommand(client, 'stop', 'Collector');
    expect(result).toMatchObject({ ok: false, error: { code: 'unreachable', status: 0 } });
    expect(result.ok || result.error.message).toBeTruthy();
  });

  it('invoke reaches any function route with the same contract', async () => {
    const bodies = answering('alerts/test', { ok: true, status_code: 204, error: null });
    expect(await invoke(client, 'alerts/test', { channel_id: 'c1' })).toEqual({
      ok: true,
      value: { ok: true, status_code: 204, error: null },
    });
    expect(bodies).toEqual([{ channel_id: 'c1' }]);
  });
});
