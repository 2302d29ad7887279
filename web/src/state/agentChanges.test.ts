// What the dashboard changes of an agent goes through the store, which shows the server's answer in
// place at once (no second read for it): a mute, tags, settings and a rename, a delete, and the open
// agent's availability bar. A refusal changes nothing and comes back as the server's words.
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../test/msw.ts';
import { makeClient } from '../test/render.tsx';
import { createAgentStore } from './agents.ts';

const FORBIDDEN = { error: { code: 'forbidden', message: 'Only operators can do this.' } };

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

/** A started store over Probe (id p) and Other (id o); counts the fleet's reads. */
async function started() {
  const reads = { count: 0 };
  const state = { overview: [agentRow('Probe', { id: 'p' }), agentRow('Other', { id: 'o' })] };
  server.use(
    http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview`, () => {
      reads.count += 1;
      return HttpResponse.json(state.overview);
    }),
    ...dashboardHandlers(state),
  );
  const store = createAgentStore(makeClient(), { livePollMs: 600_000, fallbackPollMs: 600_000 });
  stop = () => store.stop();
  await store.start();
  reads.count = 0;
  return { store, reads, agent: (id: string) => store.getState().agents.byId[id] };
}

function answers(path: string, body: JsonBodyType, status = 200) {
  const sent: unknown[] = [];
  server.use(
    http.post(`${SUPABASE_URL}${path}`, async ({ request }) => {
      sent.push(await request.json());
      return HttpResponse.json(body, { status });
    }),
  );
  return sent;
}

describe('changes through the store, shown in place', () => {
  it('a mute shows its muted_until at once; an unmute clears it', async () => {
    const { store, reads, agent } = await started();
    const until = new Date(Date.now() + 3_600_000);
    const sent = answers('/rest/v1/rpc/mute_agent', until.toISOString());
    expect(await store.mute('p', until)).toBeNull();
    expect(sent).toEqual([{ p_agent_name: 'Probe', p_until: until.toISOString() }]);
    expect(agent('p').muted_until).toBe(until.toISOString());
    server.use(http.post(`${SUPABASE_URL}/rest/v1/rpc/mute_agent`, () => HttpResponse.json(null)));
    expect(await store.mute('p', null)).toBeNull();
    expect(agent('p').muted_until).toBeNull();
    expect(reads.count).toBe(0);
  });

  it('tags for several agents in one request, each shown with the tags the server answered', async () => {
    const { store, reads, agent } = await started();
    const other = agent('o');
    const sent = answers('/functions/v1/agents/tags', {
      agents: [
        { agent_name: 'Probe', tags: ['prod'] },
        { agent_name: 'Other', tags: ['eu', 'prod'] },
      ],
    });
    expect(await store.tag(['p', 'o'], { add: ['prod'] })).toBeNull();
    expect(sent).toEqual([{ agent_names: ['Probe', 'Other'], add: ['prod'], remove: [] }]);
    expect(agent('p').tags).toEqual(['prod']);
    expect(agent('o').tags).toEqual(['eu', 'prod']);
    expect(agent('o')).not.toBe(other);
    expect(reads.count).toBe(0);
  });

  it('settings and a rename: the agent shows the answer and moves in the order', async () => {
    const { store, reads, agent } = await started();
    answers('/functions/v1/agents/update', {
      id: 'p',
      agent_name: 'Alpha',
      description: 'posts',
      heartbeat_interval_seconds: 20,
      offline_after_seconds: null,
      effective_offline_after_seconds: 60,
    });
    const result = await store.changeSettings('p', { new_name: 'Alpha', heartbeat_interval_seconds: 20 });
    expect(result.ok).toBe(true);
    expect(agent('p')).toMatchObject({
      agent_name: 'Alpha',
      description: 'posts',
      heartbeat_interval_seconds: 20,
      effective_offline_after_seconds: 60,
    });
    expect(store.getState().agents.order).toEqual(['p', 'o']);
    expect(reads.count).toBe(0);
  });

  it('a deleted agent is gone at once', async () => {
    const { store, agent } = await started();
    const sent = answers('/functions/v1/agents/delete', { agent_name: 'Probe', deleted: true });
    expect(await store.remove('p')).toBeNull();
    expect(sent).toEqual([{ agent_name: 'Probe' }]);
    expect(agent('p')).toBeUndefined();
    expect(store.getState().agents.order).toEqual(['o']);
  });

  it('an added agent comes with the next read of the fleet', async () => {
    const { store, reads } = await started();
    answers('/functions/v1/agents/create', {
      id: 'n',
      agent_name: 'New',
      desired_state: 'stopped',
      generation: 1,
      description: null,
      heartbeat_interval_seconds: 10,
      offline_after_seconds: null,
    });
    expect((await store.add('New', { heartbeat_interval_seconds: 10 })).ok).toBe(true);
    expect(reads.count).toBe(1);
  });

  it('a refusal changes nothing and answers the server’s words', async () => {
    const { store, agent } = await started();
    const before = store.getState().agents;
    answers('/functions/v1/agents/tags', FORBIDDEN, 403);
    answers('/functions/v1/agents/delete', FORBIDDEN, 403);
    answers('/functions/v1/agents/update', FORBIDDEN, 403);
    answers('/rest/v1/rpc/mute_agent', { code: '42501', message: 'permission denied for function mute_agent' }, 403);
    expect(await store.tag(['p'], { add: ['x'] })).toMatch(/Only operators/);
    expect(await store.remove('p')).toMatch(/Only operators/);
    const update = await store.changeSettings('p', { description: 'x' });
    expect(update.ok ? null : update.error.message).toMatch(/Only operators/);
    expect(await store.mute('p', new Date())).toMatch(/permission denied/);
    expect(store.getState().agents).toBe(before);
    expect(agent('p').agent_name).toBe('Probe');
  });
});

describe("the open agent's availability bar", () => {
  it('is read through the store for the agent and window asked for; a later open wins', async () => {
    const { store } = await started();
    const asked: string[] = [];
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/rpc/agent_availability_bar`, ({ request }) => {
        const url = new URL(request.url);
        asked.push(`${url.searchParams.get('p_agent_id')}/${url.searchParams.get('p_window')}`);
        return HttpResponse.json([
          {
            bucket_start: '2026-12-06T00:00:00Z',
            bucket_end: '2026-12-06T01:00:00Z',
            state: 'running',
            running: 3600,
            warning: 0,
            error: 0,
            offline: 0,
            stopped: 0,
            unknown: 0,
            scheduled_off: 0,
          },
        ]);
      }),
    );
    await store.openAvailabilityBar('p', '7d');
    expect(asked).toEqual(['p/7d']);
    expect(store.getState().availabilityBar).toMatchObject({ agentId: 'p', window: '7d', error: null });
    expect(store.getState().availabilityBar?.buckets).toHaveLength(1);
    const first = store.openAvailabilityBar('p', '24h');
    const second = store.openAvailabilityBar('o', '30d');
    await Promise.all([first, second]);
    expect(store.getState().availabilityBar).toMatchObject({ agentId: 'o', window: '30d' });
  });
});
