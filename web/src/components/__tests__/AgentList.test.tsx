import { render } from '@testing-library/preact';
import { options, type VNode } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { agentRow } from '../../test/msw.ts';
import { applyEvent, applyOverview, emptyAgentsState, orderedAgents } from '@agent-status/client';
import { AgentList } from '../AgentList.tsx';

// Counts renders of the (memoized) row body through Preact's diff hook.
let rowRenders = 0;
const previousDiffed = options.diffed;
options.diffed = (vnode: VNode) => {
  if (typeof vnode.type === 'function' && vnode.type.name === 'AgentRow') rowRenders += 1;
  previousDiffed?.(vnode);
};
afterEach(() => {
  rowRenders = 0;
});

describe('AgentList with 1,000 agents', () => {
  const rows = Array.from({ length: 1000 }, (_, i) =>
    agentRow(`Agent ${String(i).padStart(4, '0')}`, { id: `id-${i}` }),
  );
  const noop = () => {};

  it('renders each of them once and re-renders only the agent that changed', () => {
    const state = applyOverview(emptyAgentsState, rows, Date.now());
    const view = render(
      <AgentList
        agents={orderedAgents(state)}
        clockOffsetMs={0}
        canCommand
        selectedId={null}
        onCommand={noop}
        onSelect={noop}
      />,
    );
    expect(view.container.querySelectorAll('li[data-agent]').length).toBe(1000);
    expect(rowRenders).toBe(1000);

    rowRenders = 0;
    const next = applyEvent(state, {
      agent_id: 'id-500',
      snapshot: { status: 'error', health: 20, updated_at: new Date(Date.now() + 1000).toISOString() },
    });
    view.rerender(
      <AgentList
        agents={orderedAgents(next)}
        clockOffsetMs={0}
        canCommand
        selectedId={null}
        onCommand={noop}
        onSelect={noop}
      />,
    );
    expect(rowRenders).toBe(1);
    expect(view.container.querySelector('li[data-agent="Agent 0500"]')?.getAttribute('data-state')).toBe('error');
  });
});
