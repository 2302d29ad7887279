import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../../test/msw.ts';
import { RefusedWebSocket } from '../../test/refused-socket.ts';
import { renderApp, storeSession, triggerRefresh } from '../../test/render.tsx';

const row = (name: string) => screen.getByRole('button', { name }).closest('li') as HTMLElement;

function seed() {
  return {
    overview: [
      agentRow('Tweet Scheduler', { id: 't' }),
      agentRow('Blog Generator', { id: 'b', status: 'warning', health: 70, last_warning: 'slow feed' }),
      agentRow('Account Manager', { id: 'a', status: 'error', health: 30, last_error: 'API quota exceeded' }),
      agentRow('Content Collector', {
        id: 'c',
        status: 'stopped',
        health: 0,
        started_at: null,
        desired_state: 'stopped',
      }),
      agentRow('Engagement Analyzer', {
        id: 'e',
        offline: true,
        last_heartbeat: new Date(Date.now() - 120_000).toISOString(),
      }),
    ],
  };
}

async function signedIn(role: 'operator' | 'viewer', state = seed()) {
  server.use(...dashboardHandlers(state));
  storeSession(role);
  renderApp();
  await screen.findByRole('button', { name: 'Tweet Scheduler' });
  return state;
}

describe('overview', () => {
  it('lists agents by name with state as text, health, heartbeat and errors', async () => {
    await signedIn('operator');
    const names = screen
      .getAllByRole('listitem')
      .filter((li) => li.dataset.agent)
      .map((li) => li.dataset.agent);
    expect(names).toEqual([
      'Account Manager',
      'Blog Generator',
      'Content Collector',
      'Engagement Analyzer',
      'Tweet Scheduler',
    ]);
    expect(row('Account Manager').textContent).toMatch(/Error/);
    expect(row('Account Manager').textContent).toMatch(/API quota exceeded/);
    expect(row('Account Manager').textContent).toMatch(/Health\s*30/);
    expect(row('Engagement Analyzer').textContent).toMatch(/Offline/);
    expect(row('Engagement Analyzer').textContent).toMatch(/offline · 2 min ago/);
    expect(row('Engagement Analyzer').textContent).toMatch(/Uptime—/); // unknown while offline
    expect(row('Tweet Scheduler').textContent).toMatch(/Uptime\s*\d+ s/);
    expect(row('Tweet Scheduler').textContent).toMatch(/just now|\d+ s ago/);
    // The counts wait for the whole fleet (the first screen may come from the small first read).
    const counts = await screen.findByRole('list', { name: 'Agents per state' });
    expect(within(counts).getByText('running', { exact: false }).textContent).toMatch(/1 running/);
    expect(counts.querySelector('[data-count="offline"]')?.textContent).toMatch(/1 offline/);
  });

  it('falls back to polling, and says so, when Realtime is refused', async () => {
    const before = RefusedWebSocket.connections;
    await signedIn('viewer');
    await waitFor(() =>
      expect(document.querySelector('[data-connection="polling"]')?.textContent).toMatch(/Reconnecting/),
    );
    expect(RefusedWebSocket.connections).toBeGreaterThan(before);
  });

  it('filters by state and searches by name', async () => {
    await signedIn('operator');
    const shown = () => [...document.querySelectorAll<HTMLElement>('[data-agent]')].map((li) => li.dataset.agent);
    fireEvent.input(screen.getByLabelText('State'), { target: { value: 'error' } });
    await waitFor(() => expect(shown()).toEqual(['Account Manager']));
    fireEvent.input(screen.getByLabelText('State'), { target: { value: 'all' } });
    fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'gen' } });
    await waitFor(() => expect(shown()).toEqual(['Blog Generator']));
    fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'zzz' } });
    expect(await screen.findByText('No agents match.')).toBeTruthy();
  });

  it('opens the detail panel with history and host facts', async () => {
    const state = seed();
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();
    Object.assign(state, {
      events: [
        {
          id: 3,
          agent_id: 't',
          kind: 'command',
          command: 'stop',
          actor_email: 'op@example.com',
          generation: 2,
          created_at: t(3),
          health: null,
          message: null,
          from_status: null,
          to_status: null,
          actor_id: null,
          snapshot: null,
        },
        {
          id: 2,
          agent_id: 't',
          kind: 'warning',
          message: 'slow',
          health: 75,
          created_at: t(2),
          command: null,
          actor_email: null,
          generation: 1,
          from_status: 'running',
          to_status: 'warning',
          actor_id: null,
          snapshot: null,
        },
        {
          id: 1,
          agent_id: 't',
          kind: 'status',
          health: 100,
          created_at: t(1),
          from_status: 'stopped',
          to_status: 'running',
          message: null,
          command: null,
          actor_email: null,
          generation: 1,
          actor_id: null,
          snapshot: null,
        },
      ],
    });
    await signedIn('viewer', state);
    fireEvent.click(screen.getByRole('button', { name: 'Tweet Scheduler' }));
    const panel = await screen.findByRole('complementary', { name: 'Tweet Scheduler' });
    expect(await within(panel).findByText(/stop requested by op@example.com/)).toBeTruthy();
    expect(within(panel).getByText('host-1')).toBeTruthy();
    expect(within(panel).getByRole('img', { name: /Health over time: 2 readings, latest 75/ })).toBeTruthy();
    fireEvent.keyDown(document, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('complementary')).toBeNull());
  });
});

describe('addresses', () => {
  it('opens an agent from a pasted link (#/agents/<name>)', async () => {
    history.replaceState(null, '', '#/agents/Blog%20Generator');
    await signedIn('viewer');
    expect(await screen.findByRole('complementary', { name: 'Blog Generator' })).toBeTruthy();
  });

  it('puts the open agent in the address, and back closes it', async () => {
    await signedIn('viewer');
    fireEvent.click(screen.getByRole('button', { name: 'Tweet Scheduler' }));
    await screen.findByRole('complementary', { name: 'Tweet Scheduler' });
    expect(location.hash).toBe('#/agents/Tweet%20Scheduler');
    history.back();
    await waitFor(() => expect(screen.queryByRole('complementary')).toBeNull());
    expect(location.hash).toBe('');
  });

  it('says so when a link names no agent or no page', async () => {
    history.replaceState(null, '', '#/agents/Nobody');
    await signedIn('viewer');
    expect(await screen.findByText(/There is no agent named “Nobody”/)).toBeTruthy();
    history.replaceState(null, '', '#/nowhere');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(await screen.findByText(/There is no page at #\/nowhere/)).toBeTruthy();
  });
});

describe('commands', () => {
  it('shows stopping… at once, keeps it until the agent acknowledges', async () => {
    const state = await signedIn('operator');
    let body: unknown;
    server.use(
      http.post(`${SUPABASE_URL}/functions/v1/agents/stop`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ agent_name: 'Tweet Scheduler', desired_state: 'stopped', generation: 2 });
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Stop Tweet Scheduler' }));
    expect(row('Tweet Scheduler').textContent).toMatch(/stopping…/);
    await waitFor(() => expect(body).toEqual({ agent_name: 'Tweet Scheduler' }));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Stop Tweet Scheduler' }).hasAttribute('disabled')).toBe(false),
    );
    expect(row('Tweet Scheduler').textContent).toMatch(/stopping…/);
    const index = state.overview.findIndex((agent) => agent.agent_name === 'Tweet Scheduler');
    state.overview[index] = {
      ...state.overview[index],
      status: 'stopped',
      observed_generation: 2,
      generation: 2,
      desired_state: 'stopped',
      updated_at: new Date(Date.now() + 1000).toISOString(),
    };
    await triggerRefresh();
    await waitFor(() => expect(row('Tweet Scheduler').textContent).not.toMatch(/stopping…/));
    expect(row('Tweet Scheduler').textContent).toMatch(/Stopped/);
  });

  it('rolls the pending state back and shows the error next to the control', async () => {
    await signedIn('operator');
    server.use(
      http.post(`${SUPABASE_URL}/functions/v1/agents/restart`, () =>
        HttpResponse.json({ error: { code: 'not_found', message: 'unknown agent "Blog Generator"' } }, { status: 404 }),
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Restart Blog Generator' }));
    expect(row('Blog Generator').textContent).toMatch(/restarting…/);
    const alert = await within(row('Blog Generator')).findByRole('alert');
    expect(alert.textContent).toBe('unknown agent "Blog Generator"');
    expect(row('Blog Generator').textContent).not.toMatch(/restarting…/);
  });

  it('asks before stopping all, then sends one request', async () => {
    await signedIn('operator');
    let calls = 0;
    server.use(
      http.post(`${SUPABASE_URL}/functions/v1/agents/stop-all`, () => {
        calls += 1;
        return HttpResponse.json({
          agents: [{ agent_name: 'Tweet Scheduler', desired_state: 'stopped', generation: 2 }],
        });
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Stop all' }));
    expect(calls).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Stop all' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, stop all' }));
    await waitFor(() => expect(calls).toBe(1));
    await waitFor(() => expect(row('Tweet Scheduler').textContent).toMatch(/stopping…/));
  });

  it('shows a Start all error next to the bulk buttons', async () => {
    await signedIn('operator');
    server.use(http.post(`${SUPABASE_URL}/functions/v1/agents/start-all`, () => HttpResponse.error()));
    fireEvent.click(screen.getByRole('button', { name: 'Start all' }));
    expect(screen.getByText(/Start all \d+ agents\?/)).toBeTruthy(); // start-all asks first, with the count
    fireEvent.click(screen.getByRole('button', { name: 'Yes, start all' }));
    const group = screen.getByRole('group', { name: 'All agents' });
    expect((await within(group).findByRole('alert')).textContent).toMatch(/Could not reach the server/);
    expect(screen.queryByText(/starting…/)).toBeNull();
  });
});

describe('viewer', () => {
  it('sees every control disabled with the reason', async () => {
    await signedIn('viewer');
    for (const name of [
      'Start all',
      'Stop all',
      'Start Tweet Scheduler',
      'Stop Tweet Scheduler',
      'Restart Tweet Scheduler',
    ]) {
      const button = screen.getByRole('button', { name });
      expect(button.hasAttribute('disabled')).toBe(true);
      expect(button.getAttribute('aria-describedby')).toBe('viewer-reason');
    }
    expect(screen.getByText('Read-only: viewers cannot start or stop agents.')).toBeTruthy();
  });
});
