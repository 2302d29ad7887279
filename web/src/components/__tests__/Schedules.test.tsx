import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { ScheduleOverviewRow } from '@agent-status/domain';
import { SUPABASE_URL, agentRow, dashboardHandlers, server } from '../../test/msw.ts';
import { renderApp, storeSession } from '../../test/render.tsx';

const WAIT = { timeout: 15_000 };
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

function schedule(overrides: Partial<ScheduleOverviewRow> = {}): ScheduleOverviewRow {
  return {
    id: 's1',
    name: 'office',
    agent_id: 't',
    agent_name: 'Tweet Scheduler',
    tag: null,
    agent_count: 1,
    state: 'running',
    days: [1, 2, 3, 4, 5],
    start_time: '08:00:00',
    end_time: '20:00:00',
    cron_open: null,
    cron_close: null,
    time_zone: 'Europe/Berlin',
    enabled: true,
    inside: true,
    state_now: 'running',
    state_since: inHours(-2),
    next_change_at: inHours(3),
    next_state: 'stopped',
    second_change_at: inHours(15),
    second_state: 'running',
    last_boundary_at: inHours(-2),
    created_by_email: 'op@example.com',
    created_at: inHours(-48),
    updated_at: inHours(-48),
    server_time: new Date().toISOString(),
    ...overrides,
  };
}

async function signedIn(role: 'operator' | 'viewer', state: Parameters<typeof dashboardHandlers>[0]) {
  server.use(...dashboardHandlers(state));
  storeSession(role);
  renderApp();
  // generous: the signed-in dashboard is a lazily loaded chunk, slow on a loaded machine
  await screen.findByRole('button', { name: 'Tweet Scheduler' }, { timeout: 15_000 });
}

const card = (name: string) => screen.getByRole('button', { name }).closest('li') as HTMLElement;

describe('schedules on the cards', { timeout: 60_000 }, () => {
  it("a card shows its agent's next scheduled change; an agent no schedule covers shows none", async () => {
    await signedIn('operator', {
      overview: [
        agentRow('Tweet Scheduler', { id: 't', requested_by_email: 'schedule:office' }),
        agentRow('Blog Generator', { id: 'b' }),
      ],
      schedules: [schedule()],
    });
    await waitFor(() => expect(within(card('Tweet Scheduler')).getByText(/^Next: stops /)).toBeTruthy(), WAIT);
    expect(card('Blog Generator').querySelector('[data-schedule-note]')).toBeNull();
  });

  it("an operator's command against the schedule holds until its next change and says so; a tag's schedule covers its agents", async () => {
    await signedIn('operator', {
      overview: [
        agentRow('Tweet Scheduler', {
          id: 't',
          desired_state: 'stopped',
          status: 'stopped',
          requested_by_email: 'alice@example.com',
        }),
        agentRow('Blog Generator', { id: 'b', tags: ['social'] }),
      ],
      schedules: [
        schedule(),
        schedule({ id: 's2', name: 'social-nights', agent_id: null, agent_name: null, tag: 'social', agent_count: 1 }),
      ],
    });
    // running inside its window, stopped by alice: the close keeps it stopped, the next opening starts it;
    // Blog Generator, running by op@example.com as its schedule says now, has nothing held against it
    await waitFor(
      () => expect(within(card('Tweet Scheduler')).getByText(/^stopped by alice until /)).toBeTruthy(),
      WAIT,
    );
    expect(within(card('Blog Generator')).getByText(/^Next: stops /)).toBeTruthy();
  });

  it('a disabled schedule changes nothing on the card', async () => {
    await signedIn('viewer', {
      overview: [agentRow('Tweet Scheduler', { id: 't' })],
      schedules: [schedule({ enabled: false })],
    });
    await screen.findByRole('button', { name: 'Tweet Scheduler' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(card('Tweet Scheduler').querySelector('[data-schedule-note]')).toBeNull();
  });
});

describe("an agent's Schedules view", { timeout: 60_000 }, () => {
  it('lists the schedules that cover the agent; operators remove one, and the view reads them again', async () => {
    const state = { overview: [agentRow('Tweet Scheduler', { id: 't' })], schedules: [schedule()] };
    const deleted: string[] = [];
    server.use(
      http.delete(`${SUPABASE_URL}/rest/v1/agent_schedules`, ({ request }) => {
        deleted.push(new URL(request.url).searchParams.get('id') ?? '');
        state.schedules = [];
        return new HttpResponse(null, { status: 204 });
      }),
    );
    history.replaceState(null, '', '#/agents/Tweet%20Scheduler/schedules');
    await signedIn('operator', state);
    const panel = await screen.findByRole('complementary', {}, WAIT);
    const item = await within(panel).findByText('office', { selector: 'strong' }, WAIT);
    expect(within(panel).getByText('running Mon–Fri 08:00–20:00 (Europe/Berlin)')).toBeTruthy();
    expect(item).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Remove office' }));
    await within(panel).findByText('No enabled schedule changes this agent.', {}, WAIT);
    expect(deleted).toEqual(['eq.s1']);
  });

  it('viewers see the schedules but no form and no buttons', async () => {
    history.replaceState(null, '', '#/agents/Tweet%20Scheduler/schedules');
    await signedIn('viewer', { overview: [agentRow('Tweet Scheduler', { id: 't' })], schedules: [schedule()] });
    const panel = await screen.findByRole('complementary', {}, WAIT);
    await within(panel).findByText('office', {}, WAIT);
    expect(within(panel).queryByRole('form', { name: 'Add a schedule' })).toBeNull();
    expect(within(panel).queryByRole('button', { name: /Remove|Disable/ })).toBeNull();
  });
});
