import { http, HttpResponse, delay } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../test/msw.ts';
import { makeClient } from '../test/render.tsx';
import { createAgentStore } from './agents.ts';

describe('agent store', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('reads the fleet once at a time: refreshes asked for meanwhile become one more read after it', async () => {
    const state = { overview: [agentRow('Probe', { id: 'p' })] };
    let reads = 0;
    let concurrent = 0;
    let most = 0;
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/agent_overview`, async () => {
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
});
