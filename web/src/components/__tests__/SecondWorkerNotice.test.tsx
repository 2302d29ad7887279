// the dashboard says when a second worker of an agent was seen (and told to stand down).
import { render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { agentRow } from '../../test/msw.ts';
import { applyOverview, emptyAgentsState, orderedAgents } from '@agent-status/client';
import { secondWorkerSeen, SECOND_WORKER_NOTICE_MS } from '../../state/agentView.ts';
import { AgentList } from '../AgentList.tsx';

const noop = () => {};
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('second worker notice', () => {
  it('is lit for a while after a displaced worker reported, then goes out', () => {
    const now = Date.now();
    expect(secondWorkerSeen(null, now)).toBe(false);
    expect(secondWorkerSeen(new Date(now - 1000).toISOString(), now)).toBe(true);
    expect(secondWorkerSeen(new Date(now - SECOND_WORKER_NOTICE_MS - 1).toISOString(), now)).toBe(false);
  });

  it('shows "2 workers" on the agent that had a second worker, and only there', () => {
    const rows = [
      agentRow('Twice', { id: 'twice', duplicate_instance_seen_at: ago(5_000) }),
      agentRow('Once', { id: 'once' }),
      agentRow('Long ago', { id: 'long-ago', duplicate_instance_seen_at: ago(SECOND_WORKER_NOTICE_MS + 60_000) }),
    ];
    const view = render(
      <AgentList
        agents={orderedAgents(applyOverview(emptyAgentsState, rows, Date.now()))}
        clockOffsetMs={0}
        canCommand
        selectedId={null}
        onCommand={noop}
        onSelect={noop}
      />,
    );
    const badge = (name: string) => view.container.querySelector(`li[data-agent="${name}"] [data-second-worker]`);
    expect(badge('Twice')?.textContent).toBe('2 workers');
    expect(badge('Twice')?.getAttribute('title')).toMatch(/told to stand down/);
    expect(badge('Once')).toBeNull();
    expect(badge('Long ago')).toBeNull();
  });
});
