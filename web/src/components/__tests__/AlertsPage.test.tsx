import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../../test/msw.ts';
import { renderApp, storeSession } from '../../test/render.tsx';

const channel = {
  id: 'c1',
  name: 'Ops Slack',
  kind: 'slack',
  url: 'https://hooks.slack.com/services/T/B/secret-path',
  secret: null,
  events: ['offline', 'online'],
  agent_names: null,
  repeat_every_minutes: 30,
  enabled: true,
  created_by: 'u',
  created_at: '2026-11-27T12:00:00Z',
  updated_at: '2026-11-27T12:00:00Z',
};

function open(role: 'operator' | 'viewer', extra: Parameters<typeof server.use> = []) {
  server.use(...dashboardHandlers({ overview: [agentRow('Tweet Scheduler', { id: 't' })] }), ...extra);
  storeSession(role);
  history.replaceState(null, '', '#/alerts');
  renderApp();
}

describe('alerts page', () => {
  it('viewers see channels read-only, without URLs', async () => {
    const { url: _url, secret: _secret, ...summary } = channel;
    open('viewer', [
      http.post(`${SUPABASE_URL}/rest/v1/rpc/alert_channel_summaries`, () => HttpResponse.json([summary])),
    ]);
    const item = await screen.findByText('Ops Slack');
    const li = item.closest('li') as HTMLElement;
    expect(li.textContent).toMatch(/events: offline, online/);
    expect(li.textContent).toMatch(/repeats every 30 min/);
    expect(document.body.textContent).not.toContain('hooks.slack.com');
    expect(screen.queryByRole('button', { name: 'Add channel' })).toBeNull();
    expect(within(li).queryByRole('button', { name: 'Send test' })).toBeNull();
  });

  it("operators see URLs, add a channel, and read the database's message when it refuses one", async () => {
    const posted: unknown[] = [];
    open('operator', [
      http.get(`${SUPABASE_URL}/rest/v1/alert_channels`, () => HttpResponse.json([channel])),
      http.post(`${SUPABASE_URL}/rest/v1/alert_channels`, async ({ request }) => {
        const body = await request.json();
        posted.push(body);
        return posted.length === 1
          ? HttpResponse.json(
              {
                code: '22023',
                message: 'url points at a private address (10.0.0.1); this deployment only allows public addresses',
                details: null,
                hint: null,
              },
              { status: 400 },
            )
          : new HttpResponse(null, { status: 201 });
      }),
    ]);
    await screen.findByText('https://hooks.slack.com/services/T/B/secret-path');
    fireEvent.click(screen.getByRole('button', { name: 'Add channel' }));
    const form = screen.getByRole('form', { name: 'New alert channel' });
    fireEvent.input(within(form).getByLabelText(/Name/), { target: { value: 'Team hook' } });
    fireEvent.input(within(form).getByLabelText(/Kind/), { target: { value: 'webhook' } });
    fireEvent.input(within(form).getByLabelText(/URL/), { target: { value: 'http://10.0.0.1/hook' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add' }));
    expect((await within(form).findByRole('alert')).textContent).toMatch(/only allows public addresses/);
    fireEvent.input(within(form).getByLabelText(/URL/), { target: { value: 'https://example.com/hook' } });
    fireEvent.click(within(form).getByLabelText('warning'));
    fireEvent.click(within(form).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'New alert channel' })).toBeNull());
    expect(posted[1]).toMatchObject({
      name: 'Team hook',
      kind: 'webhook',
      url: 'https://example.com/hook',
      agent_names: null,
      enabled: true,
    });
    expect((posted[1] as { events: string[] }).events.sort()).toEqual([
      'error',
      'offline',
      'online',
      'stopped_unexpectedly',
      'warning',
    ]);
  });

  it("operators send a test message and see the receiver's answer", async () => {
    open('operator', [
      http.get(`${SUPABASE_URL}/rest/v1/alert_channels`, () => HttpResponse.json([channel])),
      http.post(`${SUPABASE_URL}/functions/v1/alerts/test`, () =>
        HttpResponse.json({ channel_id: 'c1', ok: false, status_code: 404, error: 'HTTP 404: no_service' }),
      ),
    ]);
    fireEvent.click(await screen.findByRole('button', { name: 'Send test' }));
    const li = screen.getByText('Ops Slack').closest('li') as HTMLElement;
    await waitFor(() => expect(within(li).getByRole('status').textContent).toBe('Test failed: HTTP 404: no_service'));
  });
});

describe('mute in the agent detail', () => {
  it('operators mute an agent for 8 h', async () => {
    const calls: Array<{ p_agent_name: string; p_until: string | null }> = [];
    server.use(
      ...dashboardHandlers({ overview: [agentRow('Tweet Scheduler', { id: 't' })] }),
      http.post(`${SUPABASE_URL}/rest/v1/rpc/mute_agent`, async ({ request }) => {
        const body = (await request.json()) as { p_agent_name: string; p_until: string | null };
        calls.push(body);
        return HttpResponse.json(body.p_until);
      }),
    );
    storeSession('operator');
    history.replaceState(null, '', '#/agents/Tweet%20Scheduler');
    renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Mute for 8 h' }));
    await screen.findByText(/muted until/);
    expect(calls[0].p_agent_name).toBe('Tweet Scheduler');
    const hours = (Date.parse(calls[0].p_until!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(7.9);
    expect(hours).toBeLessThanOrEqual(8);
    fireEvent.click(screen.getByRole('button', { name: 'Unmute' }));
    await waitFor(() => expect(calls[1]).toEqual({ p_agent_name: 'Tweet Scheduler', p_until: null }));
  });

  it('viewers see the mute state without buttons', async () => {
    server.use(...dashboardHandlers({ overview: [agentRow('Tweet Scheduler', { id: 't' })] }));
    storeSession('viewer');
    history.replaceState(null, '', '#/agents/Tweet%20Scheduler');
    renderApp();
    await screen.findByText(/Alerts: on/);
    expect(screen.queryByRole('button', { name: /Mute for/ })).toBeNull();
  });
});
