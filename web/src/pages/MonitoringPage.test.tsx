import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../test/msw.ts';
import { renderApp, storeSession } from '../test/render.tsx';
import type { BadgeKey, MetricsToken } from '../lib/monitoring.ts';

const overview = [agentRow('Blog Generator', { id: 'b' }), agentRow('Content Collector', { id: 'c' })];

function monitoringBackend() {
  const state = {
    tokens: [
      {
        id: 't1',
        label: 'prometheus',
        created_by_email: 'op@example.com',
        created_at: '2026-11-27T10:00:00Z',
        last_used_at: null,
        revoked_at: null,
      },
    ] as MetricsToken[],
    badges: [
      {
        id: 'k1',
        key: 'asb_0123',
        agent_id: 'b',
        label: 'readme',
        created_by_email: null,
        created_at: '2026-11-27T10:00:00Z',
        revoked_at: null,
      },
    ] as BadgeKey[],
    rpcs: [] as Array<{ name: string; body: unknown }>,
    tableReads: 0,
  };
  server.use(
    ...dashboardHandlers({ overview }),
    http.get(`${SUPABASE_URL}/rest/v1/metrics_tokens`, () => (state.tableReads++, HttpResponse.json(state.tokens))),
    http.get(`${SUPABASE_URL}/rest/v1/badge_keys`, () => (state.tableReads++, HttpResponse.json(state.badges))),
    http.post(`${SUPABASE_URL}/rest/v1/rpc/:name`, async ({ params, request }) => {
      const name = String(params.name);
      state.rpcs.push({ name, body: await request.json() });
      if (name === 'issue_metrics_token')
        return HttpResponse.json([{ token_id: 't2', label: 'new', token: 'asm_shown_once' }]);
      if (name === 'revoke_metrics_token') {
        state.tokens = state.tokens.map((t) => ({ ...t, revoked_at: '2026-11-27T11:00:00Z' }));
        return HttpResponse.json(true);
      }
      if (name === 'issue_badge_key')
        return HttpResponse.json([{ key_id: 'k2', agent_name: null, label: null, key: 'asb_4567' }]);
      return HttpResponse.json(null, { status: 404 });
    }),
  );
  return state;
}

describe('monitoring page (#/settings/monitoring)', () => {
  it('operators reach it from the header, issue a token shown once, revoke it, and copy badge URLs and Markdown', async () => {
    const backend = monitoringBackend();
    storeSession('operator');
    renderApp();
    fireEvent.click(await screen.findByRole('link', { name: 'Metrics & badges' }));
    window.dispatchEvent(new HashChangeEvent('hashchange'));

    const tokens = await screen.findByRole('region', { name: 'Prometheus metrics tokens' });
    expect(tokens.textContent).toContain(`${SUPABASE_URL}/functions/v1/metrics`);
    await within(tokens).findByText('prometheus');
    fireEvent.input(within(tokens).getByLabelText('Label'), { target: { value: 'new' } });
    fireEvent.click(within(tokens).getByRole('button', { name: 'Issue token' }));
    expect(((await within(tokens).findByLabelText('Token')) as HTMLInputElement).value).toBe('asm_shown_once');
    expect(backend.rpcs[0]).toEqual({ name: 'issue_metrics_token', body: { p_label: 'new' } });
    fireEvent.click(within(tokens).getByRole('button', { name: 'Revoke' }));
    await within(tokens).findByText('revoked');
    expect(backend.rpcs[1]).toEqual({ name: 'revoke_metrics_token', body: { p_token_id: 't1' } });

    const badges = screen.getByRole('region', { name: 'Status badges' });
    const badgeUrl = `${SUPABASE_URL}/functions/v1/metrics/badge/asb_0123.svg`;
    await waitFor(() => expect((within(badges).getByLabelText('Badge URL') as HTMLInputElement).value).toBe(badgeUrl));
    expect((within(badges).getByLabelText('Markdown') as HTMLInputElement).value).toBe(
      `![Blog Generator status](${badgeUrl})`,
    );
    fireEvent.click(within(badges).getByRole('button', { name: 'Issue badge' }));
    await waitFor(() => expect(backend.rpcs[2]).toEqual({ name: 'issue_badge_key', body: {} }));
  });

  it('viewers get no link, and the page shows them nothing and reads nothing', async () => {
    const backend = monitoringBackend();
    storeSession('viewer');
    history.replaceState(null, '', '#/settings/monitoring');
    renderApp();
    expect((await screen.findByRole('alert')).textContent).toMatch(/Only operators manage metrics tokens and badges/);
    expect(screen.queryByRole('link', { name: 'Metrics & badges' })).toBeNull();
    expect(backend.tableReads).toBe(0);
    expect(backend.rpcs).toEqual([]);
  });
});
