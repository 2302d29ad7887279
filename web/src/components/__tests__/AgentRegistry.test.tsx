// The agent registry on the dashboard: operators add an agent, issue a token that is shown
// once with snippets, rename it and delete it with a typed confirmation; viewers see none of it. The
// real supabase-js client talks to an msw fake of the `agents` function and REST.
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AgentOverviewRow } from '@agent-status/domain';
import { ANON_KEY, SUPABASE_URL, agentRow, dashboardHandlers, server } from '../../test/msw.ts';
import { renderApp, storeSession } from '../../test/render.tsx';

const TOKEN = `ast_${'ab'.repeat(32)}`;

function open(role: 'operator' | 'viewer', hash = '#/agents') {
  const state: { overview: AgentOverviewRow[] } = { overview: [agentRow('Tweet Scheduler', { id: 't' })] };
  const calls: Array<{ route: string; body: Record<string, unknown> }> = [];
  const tokens: Array<Record<string, unknown>> = [];
  server.use(
    ...dashboardHandlers(state),
    http.post(`${SUPABASE_URL}/functions/v1/agents/*`, async ({ request, params }) => {
      const route = String(params[0]);
      const body = (await request.json()) as Record<string, unknown>;
      calls.push({ route, body });
      if (route === 'create') {
        if (state.overview.some((a) => a.agent_name === body.agent_name)) {
          return HttpResponse.json(
            { error: { code: 'agent_exists', message: `An agent named "${body.agent_name}" already exists.` } },
            { status: 409 },
          );
        }
        state.overview.push(
          agentRow(String(body.agent_name), {
            id: 'new',
            status: 'stopped',
            health: 0,
            desired_state: 'stopped',
            heartbeat_interval_seconds: Number(body.heartbeat_interval_seconds),
          }),
        );
        return HttpResponse.json(
          { agent_name: body.agent_name, id: 'new', desired_state: 'stopped', generation: 0 },
          { status: 201 },
        );
      }
      if (route === 'tokens/issue') {
        tokens.unshift({
          id: 'tok-1',
          label: body.label ?? null,
          created_at: new Date().toISOString(),
          created_by_email: 'operator@example.com',
          last_used_at: null,
          revoked_at: null,
        });
        return HttpResponse.json({ token_id: 'tok-1', agent_name: body.agent_name, token: TOKEN }, { status: 201 });
      }
      if (route === 'tokens/revoke') {
        tokens[0].revoked_at = new Date().toISOString();
        return HttpResponse.json({ token_id: body.token_id, revoked: true });
      }
      if (route === 'update') {
        const agent = state.overview.find((a) => a.agent_name === body.agent_name)!;
        if (body.new_name) agent.agent_name = String(body.new_name);
        return HttpResponse.json({ ...agent, effective_offline_after_seconds: 30 });
      }
      if (route === 'delete') {
        state.overview = state.overview.filter((a) => a.agent_name !== body.agent_name);
        return HttpResponse.json({ agent_name: body.agent_name, deleted: true });
      }
      return HttpResponse.json({ error: { code: 'not_found', message: 'no' } }, { status: 404 });
    }),
    http.get(`${SUPABASE_URL}/rest/v1/agent_tokens`, () => HttpResponse.json(tokens)),
  );
  storeSession(role);
  history.replaceState(null, '', hash);
  renderApp();
  return { state, calls };
}

describe('the agent registry', () => {
  it('operators add an agent and land on its tokens; issuing shows the token once with snippets', async () => {
    const { calls } = open('operator');
    fireEvent.click(await screen.findByRole('link', { name: 'Add agent' }));
    const form = await screen.findByRole('form', { name: 'Add agent' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: '  My Agent ' } });
    fireEvent.input(within(form).getByLabelText(/Heartbeat interval/), { target: { value: '5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add agent' }));
    await waitFor(() => expect(location.hash).toBe('#/agents/My%20Agent/tokens'));
    expect(calls[0]).toEqual({ route: 'create', body: { agent_name: 'My Agent', heartbeat_interval_seconds: 5 } });

    const issue = await screen.findByRole('form', { name: 'Issue a token' });
    fireEvent.input(within(issue).getByLabelText(/Label/), { target: { value: 'laptop' } });
    fireEvent.click(within(issue).getByRole('button', { name: 'Issue token' }));
    const shown = await screen.findByRole('region', { name: 'New token for My Agent' });
    expect(calls[1]).toEqual({ route: 'tokens/issue', body: { agent_name: 'My Agent', label: 'laptop' } });
    expect(within(shown).getByText(TOKEN, { selector: '[data-token]' })).toBeTruthy();
    expect(within(shown).getByRole('alert').textContent).toMatch(/only time it is shown/);
    const snippet = (id: string) => shown.querySelector(`[data-snippet="${id}"] pre`)!.textContent!;
    expect(snippet('env')).toBe(
      `SUPABASE_URL=${SUPABASE_URL}\nSUPABASE_PUBLISHABLE_KEY=${ANON_KEY}\nAGENT_TOKEN=${TOKEN}\n`,
    );
    expect(snippet('typescript')).toMatch(/runAgent\(\{\n {2}name: "My Agent",\n {2}heartbeatIntervalMs: 5000,/);
    expect(snippet('python')).toContain('asu.run_agent("My Agent", work, heartbeat_interval=5)');
    expect(snippet('curl')).toContain(TOKEN);
    expect(within(shown).getAllByRole('button', { name: /^Copy/ })).toHaveLength(5);

    fireEvent.click(within(shown).getByRole('button', { name: 'Done, I have stored it' }));
    await waitFor(() => expect(document.body.textContent).not.toContain(TOKEN));
    const list = await screen.findByText('laptop');
    expect(list.closest('li')!.textContent).toMatch(/active.*Created.*by operator@example\.com.*Last usednever/s);
  });

  it("a taken name is refused with the function's message", async () => {
    open('operator', '#/add-agent');
    const form = await screen.findByRole('form', { name: 'Add agent' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Tweet Scheduler' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add agent' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'An agent named "Tweet Scheduler" already exists.',
    );
  });

  it('revokes a token after a confirmation', async () => {
    const { calls } = open('operator', '#/agents/Tweet%20Scheduler/tokens');
    fireEvent.click(
      within(await screen.findByRole('form', { name: 'Issue a token' })).getByRole('button', { name: 'Issue token' }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Done, I have stored it' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke unlabelled token' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(calls.at(-1)).toEqual({ route: 'tokens/revoke', body: { token_id: 'tok-1' } }));
    await waitFor(() => expect(screen.getByText(/^revoked /)).toBeTruthy());
  });

  it('settings rename the agent (its address follows) and delete it only after its name is typed', async () => {
    const { calls } = open('operator', '#/agents/Tweet%20Scheduler/settings');
    const form = await screen.findByRole('form', { name: 'Agent settings' });
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('Tweet Scheduler');
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Tweet Poster' } });
    fireEvent.input(within(form).getByLabelText('Description'), { target: { value: 'posts tweets' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(location.hash).toBe('#/agents/Tweet%20Poster/settings'));
    expect(calls[0]).toEqual({
      route: 'update',
      body: { agent_name: 'Tweet Scheduler', new_name: 'Tweet Poster', description: 'posts tweets' },
    });

    const danger = await screen.findByRole('form', { name: 'Delete agent' });
    const remove = within(danger).getByRole('button', { name: 'Delete agent' }) as HTMLButtonElement;
    expect(remove.disabled).toBe(true);
    fireEvent.input(within(danger).getByLabelText(/to confirm/), { target: { value: 'Tweet' } });
    expect(remove.disabled).toBe(true);
    fireEvent.input(within(danger).getByLabelText(/to confirm/), { target: { value: 'Tweet Poster' } });
    expect(remove.disabled).toBe(false);
    fireEvent.click(remove);
    await waitFor(() => expect(location.hash).toBe('#/agents'));
    expect(calls.at(-1)).toEqual({ route: 'delete', body: { agent_name: 'Tweet Poster' } });
  });

  it('viewers see none of the controls, not even at the addresses', async () => {
    open('viewer', '#/agents/Tweet%20Scheduler');
    await screen.findByRole('heading', { name: 'Tweet Scheduler' });
    expect(screen.queryByRole('link', { name: 'Add agent' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Tokens' })).toBeNull();
    for (const hash of ['#/agents/Tweet%20Scheduler/settings', '#/agents/Tweet%20Scheduler/tokens', '#/add-agent']) {
      history.pushState(null, '', hash);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      await screen.findByText(/^Only operators can/);
      expect(document.querySelector('input, textarea')?.closest('.detail')).toBeFalsy();
      expect(screen.queryByRole('button', { name: /Issue token|Save|Delete agent|Add agent/ })).toBeNull();
    }
  });
});
