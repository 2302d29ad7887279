import { fireEvent, render, screen } from '@testing-library/preact';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { App } from '../../App.tsx';
import { SUPABASE_URL, agentRow, dashboardHandlers, server, signInHandler } from '../../test/msw.ts';
import { renderApp, storeSession } from '../../test/render.tsx';

async function submit(email: string, password: string) {
  fireEvent.input(await screen.findByLabelText('Email'), { target: { value: email } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in', () => {
  it('says so when the credentials are wrong', async () => {
    server.use(
      http.post(`${SUPABASE_URL}/auth/v1/token`, () =>
        HttpResponse.json({ code: 'invalid_credentials', message: 'Invalid login credentials' }, { status: 400 }),
      ),
    );
    renderApp();
    await submit('op@example.com', 'nope');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Wrong email or password.');
  });

  it('says so when the backend cannot be reached', async () => {
    server.use(http.post(`${SUPABASE_URL}/auth/v1/token`, () => HttpResponse.error()));
    renderApp();
    await submit('op@example.com', 'secret');
    expect((await screen.findByRole('alert', {}, { timeout: 10_000 })).textContent).toMatch(
      /Cannot reach the backend at http:\/\/supabase\.test/,
    );
  });

  it('signs in, shows the dashboard, and signs out', async () => {
    const state = { overview: [agentRow('Example Agent')] };
    server.use(
      signInHandler('operator'),
      ...dashboardHandlers(state),
      http.post(`${SUPABASE_URL}/auth/v1/logout`, () => new HttpResponse(null, { status: 204 })),
    );
    renderApp();
    await submit('operator@example.com', 'secret');
    expect(await screen.findByRole('button', { name: 'Example Agent' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('keeps the session across a reload', async () => {
    server.use(...dashboardHandlers({ overview: [agentRow('Example Agent')] }));
    storeSession('viewer');
    renderApp();
    expect(await screen.findByRole('button', { name: 'Example Agent' })).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('explains missing configuration', () => {
    render(<App config={{ ok: false, missing: ['VITE_SUPABASE_URL'] }} />);
    expect(screen.getByRole('alert').textContent).toMatch(/VITE_SUPABASE_URL/);
  });
});
