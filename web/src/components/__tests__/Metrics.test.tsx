import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../../test/msw.ts';
import { renderApp, storeSession } from '../../test/render.tsx';

// jsdom has no ResizeObserver; the table measures its scroller with one.
globalThis.ResizeObserver ??= class {
  observe() {}
  disconnect() {}
  unobserve() {}
};
const slow = { timeout: 10_000 };
const availabilityBar = http.get(`${SUPABASE_URL}/rest/v1/rpc/agent_availability_bar`, () => HttpResponse.json([]));

const overview = [
  agentRow('Content Collector', { id: 'c', heartbeat_interval_seconds: 2 }),
  agentRow('Tweet Scheduler', { id: 't' }),
  agentRow('Blog Generator', { id: 'b' }),
];
const metrics = {
  'Content Collector': [
    {
      metric: 'articles_collected',
      kind: 'counter',
      value: 130,
      updated_at: new Date().toISOString(),
      points: [
        [1_000, 100],
        [1_060, 112],
        [1_120, 130],
      ],
    },
    {
      metric: 'queue_length',
      kind: 'gauge',
      value: 7,
      updated_at: new Date().toISOString(),
      points: [
        [1_000, 12],
        [1_060, 9],
        [1_120, 7],
      ],
    },
  ],
};

describe('custom metrics', () => {
  it("an agent's page shows a tile per metric with its value, its movement and a sparkline; the window is asked for", async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${SUPABASE_URL}/rest/v1/rpc/agent_metric_series`, ({ request }) => {
        asked.push(new URL(request.url).searchParams.get('p_minutes') ?? '');
      }),
      ...dashboardHandlers({ overview, metrics }),
      availabilityBar,
    );
    storeSession('viewer');
    history.replaceState(null, '', '#/agents/Content%20Collector');
    renderApp();
    const section = await screen.findByRole('region', { name: 'Metrics' }, slow);
    const counter = await within(section).findByText('articles_collected', {}, slow);
    const tile = counter.closest('li') as HTMLElement;
    expect(tile.dataset.kind).toBe('counter');
    expect(tile.textContent).toMatch(/130/);
    expect(tile.textContent).toMatch(/\+30 in 1 h/);
    expect(within(tile).getByRole('img').getAttribute('aria-label')).toBe(
      'articles_collected: increase per interval over 1 h',
    );
    const gauge = (within(section).getByText('queue_length').closest('li') as HTMLElement).textContent;
    expect(gauge).toMatch(/^queue_length7gauge · 7 – 12 in 1 h/);
    expect(asked[0]).toBe('60');
    fireEvent.click(within(section).getByRole('button', { name: '24 h' }));
    await waitFor(() => expect(asked).toContain('1440'));
  });

  it('an agent without metrics says how a worker reports them', async () => {
    server.use(...dashboardHandlers({ overview }), availabilityBar);
    storeSession('viewer');
    history.replaceState(null, '', '#/agents/Tweet%20Scheduler');
    renderApp();
    const section = await screen.findByRole('region', { name: 'Metrics' }, slow);
    await within(section).findByText(/No metrics yet/, {}, slow);
    expect(section.textContent).toMatch(/agent\.metric\(name, value\)/);
  });

  it('the table shows chosen metrics as columns, sortable, and remembers the choice', async () => {
    const asked: unknown[] = [];
    server.use(
      http.post(`${SUPABASE_URL}/rest/v1/rpc/fleet_metrics`, async ({ request }) => {
        const body = (await request.json()) as { p_metrics: string[] };
        asked.push(body.p_metrics);
        return HttpResponse.json({
          metrics: [
            { metric: 'articles_collected', agents: 1 },
            { metric: 'queue_length', agents: 2 },
          ],
          values: body.p_metrics.includes('queue_length') ? { c: { queue_length: 7 }, t: { queue_length: 40 } } : {},
        });
      }),
      ...dashboardHandlers({ overview }),
    );
    localStorage.setItem('agent-status.list-view', 'table');
    storeSession('viewer');
    renderApp();
    const picker = await screen.findByText('Metric columns', {}, slow);
    fireEvent.click(picker);
    fireEvent.click(await screen.findByRole('checkbox', { name: /queue_length/ }, slow));
    const header = await screen.findByRole('columnheader', { name: /queue_length/ }, slow);
    const table = screen.getByRole('table', { name: 'Agents' });
    await waitFor(() =>
      expect(table.querySelector('tr[data-agent="Tweet Scheduler"] td[data-metric]')?.textContent).toBe('40'),
    );
    expect(table.querySelector('tr[data-agent="Blog Generator"] td[data-metric]')?.textContent).toBe('—');
    fireEvent.click(within(header).getByRole('button'));
    await waitFor(() =>
      expect([...table.querySelectorAll('tbody tr[data-agent]')].map((r) => (r as HTMLElement).dataset.agent)).toEqual([
        'Tweet Scheduler',
        'Content Collector',
        'Blog Generator',
      ]),
    );
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(JSON.parse(localStorage.getItem('agent-status.metric-columns') ?? '[]')).toEqual(['queue_length']);
    expect(asked).toContainEqual(['queue_length']);
  });
});
