import { describe, expect, it } from 'vitest';
import { agentRow } from '../test/msw.ts';
import { applyOverview, emptyAgentsState, orderedAgents } from '@agent-status/client';
import { filterAgents, fleetTags } from './agentView.ts';
import { sortAgents } from './agentSort.ts';
import { formatShare } from '../components/fleet/availabilityText.ts';

const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
const agents = orderedAgents(
  applyOverview(
    emptyAgentsState,
    [
      agentRow('alpha', { id: 'a', status: 'running', health: 90, last_heartbeat: at(5), tags: ['prod'] }),
      agentRow('bravo', {
        id: 'b',
        status: 'error',
        health: 10,
        last_heartbeat: at(50),
        last_error: 'boom',
        tags: ['prod', 'eu'],
      }),
      agentRow('charlie', { id: 'c', status: 'stopped', health: 0, last_heartbeat: null }),
    ],
    Date.now(),
  ),
);
const names = (list: { agent_name: string }[]) => list.map((a) => a.agent_name);

describe('table sorting', () => {
  it('by a chosen metric column: by its latest value, agents without it last whichever the direction', () => {
    const metrics = { a: { queue_length: 3 }, b: { queue_length: 12.5 } };
    const by = (descending: boolean) =>
      names(sortAgents(agents, { column: 'metric:queue_length', descending }, {}, 0, metrics));
    expect(by(true)).toEqual(['bravo', 'alpha', 'charlie']);
    expect(by(false)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(names(sortAgents(agents, { column: 'metric:other', descending: true }, {}, 0, metrics))).toEqual([
      'alpha',
      'bravo',
      'charlie',
    ]);
  });
  it('by state puts what needs attention first', () => {
    expect(names(sortAgents(agents, { column: 'state', descending: false }))).toEqual(['bravo', 'charlie', 'alpha']);
  });
  it('by health, both ways', () => {
    expect(names(sortAgents(agents, { column: 'health', descending: false }))).toEqual(['charlie', 'bravo', 'alpha']);
    expect(names(sortAgents(agents, { column: 'health', descending: true }))).toEqual(['alpha', 'bravo', 'charlie']);
  });
  it('by heartbeat age: youngest first, never last whichever the direction', () => {
    expect(names(sortAgents(agents, { column: 'heartbeat', descending: false }))).toEqual([
      'alpha',
      'bravo',
      'charlie',
    ]);
    expect(names(sortAgents(agents, { column: 'heartbeat', descending: true }))).toEqual(['bravo', 'alpha', 'charlie']);
  });
  it('by availability from fleet_availability, agents without counted time last', () => {
    const availability = { a: [0.5, 10, null, 0, null, 0], b: [0.99, 10, null, 0, null, 0] } as const;
    expect(names(sortAgents(agents, { column: 'availability', descending: true }, availability))).toEqual([
      'bravo',
      'alpha',
      'charlie',
    ]);
  });
});

describe('tags', () => {
  it('the filter keeps agents carrying the tag; the choices are every tag once, sorted', () => {
    expect(names(filterAgents(agents, { state: 'all', search: '', tag: 'eu' }))).toEqual(['bravo']);
    expect(fleetTags(agents)).toEqual(['eu', 'prod']);
  });
});

describe('formatShare', () => {
  it('shows two decimals near 100 % and never rounds up to 100 %', () => {
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0.99996)).toBe('99.99 %');
    expect(formatShare(0.5)).toBe('50 %');
    expect(formatShare(null)).toBe('—');
  });
});
