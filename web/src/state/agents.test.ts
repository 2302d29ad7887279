import { http, HttpResponse, delay } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../test/msw.ts';
import { makeClient } from '../test/render.tsx';
import { createAgentStore } from './agents.ts';

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
    const store = createAgentStore(makeClient(), { livePollMs: 60_000, fallbackPollMs: 60_000 });
    stop = () => store.stop();
    await store.start();
    expect(store.getState().agents.order).toHaveLength(2345);
    expect(ranges).toEqual(['0+1000', '1000+1000', '2000+1000']);
  });
});
