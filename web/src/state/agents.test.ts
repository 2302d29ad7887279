import { http, HttpResponse, delay } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../test/msw.ts';
import { makeClient } from '../test/render.tsx';
import { TABLE_BY_DEFAULT_ABOVE } from '../components/fleet/useListView.ts';
import { createAgentStore, FIRST_SCREEN_ROWS } from './agents.ts';
import { LIST_COLUMNS, wholeRow } from './listRow.ts';

describe('agent store', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it("listens on the dashboard's private channel (Realtime Authorization decides who joins)", async () => {
    server.use(...dashboardHandlers({ overview: [agentRow('Probe', { id: 'p' })] }));
    const client = makeClient();
    const channel = vi.spyOn(client, 'channel');
    const store = createAgentStore(client, { livePollMs: 60_000, fallbackPollMs: 60_000 });
    stop = () => store.stop();
    await store.start();
    expect(channel).toHaveBeenCalledWith('agent-dashboard', { config: expect.objectContaining({ private: true }) });
  });

  it('readFirst sends the first reads before start, which waits for them instead of reading again; a restart reads again', async () => {
    const state = { overview: [agentRow('Probe', { id: 'p' })] };
    let reads = 0;
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview`, () => {
        reads += 1;
        return HttpResponse.json(state.overview);
      }),
      ...dashboardHandlers(state),
    );
    const store = createAgentStore(makeClient(), { livePollMs: 60_000, fallbackPollMs: 60_000 });
    stop = () => store.stop();
    store.readFirst();
    store.readFirst();
    await store.start();
    expect(store.getState().agents.order).toEqual(['p']);
    expect(reads).toBe(1);
    await store.stop();
    state.overview = [agentRow('Probe', { id: 'p' }), agentRow('Second', { id: 's' })];
    await store.start();
    expect(store.getState().agents.order).toEqual(['p', 's']);
  });

  it('reads the fleet once at a time: refreshes asked for meanwhile become one more read after it', async () => {
    const state = { overview: [agentRow('Probe', { id: 'p' })] };
    let reads = 0;
    let concurrent = 0;
    let most = 0;
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview`, async () => {
        reads += 1;
        most = Math.max(most, ++concurrent);
        await delay(30);
        concurrent -= 1;
        return HttpResponse.json(state.overview);
      }),
      ...dashboardHandlers(state),
    );
    const store = createAgentStore(makeClient(), { livePollMs: 60_000, fallbackPollMs: 60_000 });
    stop = () => store.stop();
    await store.start(); // the first read (and Realtime's refusal) …
    reads = 0;
    most = 0;
    await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
    await expect.poll(() => reads).toBe(2);
    expect(most).toBe(1);
    expect(store.getState().agents.order).toEqual(['p']);
  });

  it('reads the whole fleet in one request, or in counted pages where the database has no fleet_overview yet', async () => {
    const state = {
      overview: Array.from({ length: 2345 }, (_, i) => agentRow(`a-${String(i).padStart(4, '0')}`, { id: `id-${i}` })),
    };
    const ranges: string[] = [];
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview`, () =>
        HttpResponse.json(
          { code: 'PGRST202', message: 'Could not find the function public.fleet_overview' },
          { status: 404 },
        ),
      ),
      http.get(`${SUPABASE_URL}/rest/v1/agent_overview`, ({ request }) => {
        // As PostgREST with max_rows = 1000: offset/limit honoured up to 1,000 rows, the count when asked.
        const url = new URL(request.url);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 1000), 1000);
        ranges.push(`${offset}+${limit}`);
        const rows = state.overview.slice(offset, offset + limit);
        const counted = request.headers.get('prefer')?.includes('count=exact');
        return HttpResponse.json(rows, {
          headers: {
            'content-range': `${offset}-${offset + rows.length - 1}/${counted ? state.overview.length : '*'}`,
          },
        });
      }),
      ...dashboardHandlers(state),
    );
    const store = createAgentStore(makeClient(), { livePollMs: 60_000, fallbackPollMs: 60_000, headRows: 0 });
    stop = () => store.stop();
    await store.start();
    expect(store.getState().agents.order).toHaveLength(2345);
    expect(ranges).toEqual(['0+1000', '1000+1000', '2000+1000']);
  });

  it('reads a first screen one agent larger than a fleet that opens as cards: it is drawn in the view the fleet will have', () => {
    expect(FIRST_SCREEN_ROWS).toBe(TABLE_BY_DEFAULT_ABOVE + 1);
  });

  it('draws a first screen from a small read while the whole fleet is still being read, then the whole fleet', async () => {
    const state = {
      overview: Array.from({ length: 300 }, (_, i) => agentRow(`a-${String(i).padStart(3, '0')}`, { id: `id-${i}` })),
    };
    let releaseWhole: () => void = () => {};
    const wholeHeld = new Promise<void>((resolve) => {
      releaseWhole = resolve;
    });
    let headQuery = '';
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview`, async () => {
        await wholeHeld;
        return HttpResponse.json(state.overview);
      }),
      http.get(`${SUPABASE_URL}/rest/v1/agent_overview`, ({ request }) => {
        const url = new URL(request.url);
        headQuery = `${url.searchParams.get('order')} limit ${url.searchParams.get('limit')}`;
        return HttpResponse.json(state.overview.slice(0, Number(url.searchParams.get('limit'))));
      }),
      ...dashboardHandlers(state),
    );
    const store = createAgentStore(makeClient(), { livePollMs: 60_000, fallbackPollMs: 60_000, headRows: 20 });
    stop = () => store.stop();
    const started = store.start();
    await expect.poll(() => store.getState().agents.order.length).toBe(20);
    expect(headQuery).toBe('agent_name.asc,id.asc limit 20');
    expect(store.getState().fleetComplete).toBe(false);
    releaseWhole();
    await started;
    expect(store.getState().agents.order).toHaveLength(300);
    expect(store.getState().fleetComplete).toBe(true);
  });

  it('applies a burst of Realtime changes together: the first at once, the rest in one batch', async () => {
    const state = { overview: Array.from({ length: 50 }, (_, i) => agentRow(`a-${i}`, { id: `id-${i}` })) };
    server.use(...dashboardHandlers(state));
    let push: (event: Record<string, unknown>) => void = () => {};
    const client = makeClient();
    vi.spyOn(client, 'channel').mockImplementation(() => {
      const channel = {
        on: (_type: string, filter: { table: string }, handler: (payload: { new: unknown }) => void) => {
          if (filter.table === 'agent_events') push = (row) => handler({ new: row });
          return channel;
        },
        subscribe: () => channel,
      };
      return channel as never;
    });
    const store = createAgentStore(client, { livePollMs: 60_000, fallbackPollMs: 60_000 });
    stop = () => store.stop();
    await store.start();
    // Other reads (availability, schedules) may land meanwhile: count the fleets the store went through.
    const fleets = new Set([store.getState().agents]);
    store.subscribe(() => fleets.add(store.getState().agents));
    const later = new Date(Date.now() + 60_000).toISOString();
    for (let i = 0; i < 40; i++)
      push({ id: i, agent_id: `id-${i}`, kind: 'offline', snapshot: { offline: true, updated_at: later } });
    await expect.poll(() => store.getState().agents.byId['id-39'].offline).toBe(true);
    expect(offlineCount(store.getState().agents)).toBe(40);
    // The first change at once, the 39 that followed it together: two new fleets, not forty.
    expect(fleets.size).toBe(3);
  });

  it('polls a large fleet by the agents on screen while Realtime is live, and the whole fleet less often', async () => {
    const state = { overview: Array.from({ length: 30 }, (_, i) => agentRow(`a-${i}`, { id: `id-${i}` })) };
    let wholeReads = 0;
    const rowReads: string[] = [];
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview`, () => {
        wholeReads += 1;
        return HttpResponse.json(state.overview);
      }),
      http.get(`${SUPABASE_URL}/rest/v1/agent_overview`, ({ request }) => {
        const ids = new URL(request.url).searchParams.get('id') ?? '';
        rowReads.push(ids);
        const wanted = ids.replace(/^in\.\(|\)$/g, '').split(',');
        return HttpResponse.json(state.overview.filter((row) => wanted.includes(row.id)));
      }),
      ...dashboardHandlers(state),
    );
    const client = makeClient();
    vi.spyOn(client, 'channel').mockImplementation(() => {
      const channel = {
        on: () => channel,
        subscribe: (callback: (status: string) => void) => {
          setTimeout(() => callback('SUBSCRIBED'), 0);
          return channel;
        },
      };
      return channel as never;
    });
    const store = createAgentStore(client, {
      livePollMs: 20,
      fallbackPollMs: 60_000,
      headRows: 0,
      wholeFleetPollUpTo: 10,
      wholeFleetPollMs: 60_000,
    });
    stop = () => store.stop();
    await store.start();
    store.watchRows(['id-3', 'id-4']);
    const later = new Date(Date.now() + 60_000).toISOString();
    state.overview[3] = { ...state.overview[3], last_heartbeat: later, updated_at: later };
    await expect.poll(() => store.getState().agents.byId['id-3'].last_heartbeat).toBe(later);
    expect(rowReads.at(-1)).toBe('in.(id-3,id-4)');
    // The start read, and Realtime's first SUBSCRIBED asking for one more: none from the polls.
    expect(wholeReads).toBeLessThanOrEqual(2);
  });
});

describe('the list read and the open agent', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it("reads the whole fleet with the list's columns; the open agent's whole row at once and at each poll", async () => {
    const whole = Array.from({ length: 3 }, (_, i) =>
      agentRow(`a-${i}`, { id: `id-${i}`, host: `host-${i}`, version: '1.0.0' }),
    );
    const asked: string[] = [];
    const rowReads: string[] = [];
    server.use(
      // fleet_overview_compact() as the database answers it: only the columns asked for.
      http.get(`${SUPABASE_URL}/rest/v1/rpc/fleet_overview_compact`, ({ request }) => {
        const columns = (new URL(request.url).searchParams.get('p_columns') ?? '').replace(/^\{|\}$/g, '').split(',');
        asked.push(columns.join(','));
        return HttpResponse.json({
          server_time: new Date().toISOString(),
          columns,
          rows: whole.map((row) => columns.map((c) => row[c as keyof typeof row])),
        });
      }),
      http.get(`${SUPABASE_URL}/rest/v1/agent_overview`, ({ request }) => {
        const ids = (new URL(request.url).searchParams.get('id') ?? '').replace(/^in\.\(|\)$/g, '').split(',');
        rowReads.push(ids.join(','));
        return HttpResponse.json(whole.filter((row) => ids.includes(row.id)));
      }),
      ...dashboardHandlers({ overview: whole }),
    );
    const store = createAgentStore(makeClient(), { livePollMs: 60_000, fallbackPollMs: 20, headRows: 0 });
    stop = () => store.stop();
    await store.start();
    expect(asked[0]).toBe([...LIST_COLUMNS].join(','));
    const listed = store.getState().agents.byId['id-1'];
    expect(listed).toMatchObject({ agent_name: 'a-1', health: 100 });
    expect(listed.host).toBeUndefined();
    expect(wholeRow(listed)).toBeNull();

    store.openAgent('id-1');
    await expect.poll(() => wholeRow(store.getState().agents.byId['id-1'])?.host).toBe('host-1');
    whole[1] = { ...whole[1], version: '2.0.0', updated_at: new Date(Date.now() + 60_000).toISOString() };
    await expect.poll(() => store.getState().agents.byId['id-1'].version).toBe('2.0.0');
    expect(rowReads.every((ids) => ids === 'id-1')).toBe(true);
    // The fleet's list reads (every poll) keep what the whole row said.
    expect(store.getState().agents.byId['id-1'].host).toBe('host-1');

    store.openAgent(null);
    const reads = rowReads.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rowReads.length).toBe(reads);
  });
});

function offlineCount(agents: { byId: Readonly<Record<string, { offline: boolean }>> }): number {
  return Object.values(agents.byId).filter((agent) => agent.offline).length;
}
