// Controls that tell the truth: a command that would change nothing says why, and a pending
// command shows how long it has waited and whether the agent is there to carry it out.
import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { agentRow } from '../../test/msw.ts';
import { applyOverview, emptyAgentsState, orderedAgents } from '@agent-status/client';
import { AgentRow } from '../AgentRow.tsx';

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

function renderAgent(overrides: Parameters<typeof agentRow>[1]) {
  const [agent] = orderedAgents(
    applyOverview(emptyAgentsState, [agentRow('Probe', { id: 'p', ...overrides })], Date.now()),
  );
  const onCommand = vi.fn();
  render(
    <AgentRow agent={agent} clockOffsetMs={0} canCommand selected={false} onCommand={onCommand} onSelect={() => {}} />,
  );
  return onCommand;
}

describe('command controls', () => {
  it('Start of a running agent that acknowledged is unavailable, focusable, and says why', () => {
    const onCommand = renderAgent({
      status: 'running',
      desired_state: 'running',
      generation: 3,
      observed_generation: 3,
      pending: false,
    });
    const start = screen.getByRole('button', { name: 'Start Probe' });
    expect(start.getAttribute('aria-disabled')).toBe('true');
    expect(start.hasAttribute('disabled')).toBe(false); // stays in the tab order, so the reason can be read
    expect(document.getElementById(start.getAttribute('aria-describedby')!)?.textContent).toMatch(/Already running/);
    expect(start.getAttribute('title')).toMatch(/Already running/);
    fireEvent.click(start);
    expect(onCommand).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Stop Probe' }).getAttribute('aria-disabled')).toBeNull();
  });

  it('Stop of a stopped agent likewise; Start then works', () => {
    const onCommand = renderAgent({
      status: 'stopped',
      desired_state: 'stopped',
      generation: 2,
      observed_generation: 2,
      pending: false,
    });
    expect(screen.getByRole('button', { name: 'Stop Probe' }).getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Start Probe' }));
    expect(onCommand).toHaveBeenCalledWith('start', expect.objectContaining({ agent_name: 'Probe' }));
  });

  it('a pending command shows a spinner and how long it has waited', () => {
    renderAgent({
      status: 'running',
      desired_state: 'stopped',
      last_command: 'stop',
      generation: 4,
      observed_generation: 3,
      pending: true,
      requested_at: ago(12),
    });
    const note = document.querySelector('[data-pending]')!;
    expect(note.querySelector('.spinner')).toBeTruthy();
    expect(note.textContent).toMatch(/stopping… waiting 1[23] s/);
    expect(note.textContent).not.toMatch(/offline/);
  });

  it('a pending command for an offline agent says it will run when the agent returns', () => {
    renderAgent({
      status: 'stopped',
      offline: true,
      desired_state: 'running',
      last_command: 'start',
      generation: 4,
      observed_generation: 3,
      pending: true,
      requested_at: ago(5),
    });
    expect(document.querySelector('[data-pending]')!.textContent).toMatch(
      /starting….*agent offline — will run when it returns/,
    );
  });
});
