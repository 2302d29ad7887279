import { describe, expect, it } from 'vitest';
import type { AgentEventRow } from '@agent-status/domain';
import { mergeActivity } from './activity.ts';

const event = (id: number) => ({ id, agent_id: 'a', kind: 'warning', message: `event ${id}` }) as AgentEventRow;
const ids = (events: readonly AgentEventRow[]) => events.map((e) => e.id);

describe('mergeActivity', () => {
  it('puts a pushed event newer than the feed at the top', () => {
    expect(ids(mergeActivity([event(5), event(4)], [event(6)], true))).toEqual([6, 5, 4]);
  });

  it('drops an event already shown', () => {
    expect(ids(mergeActivity([event(5), event(4)], [event(5), event(4)], true))).toEqual([5, 4]);
  });

  it('leaves an event older than the oldest shown to paging while older pages remain', () => {
    expect(ids(mergeActivity([event(50), event(40)], [event(39), event(12)], true))).toEqual([50, 40]);
  });

  it('keeps it, in its place, when everything older is already shown', () => {
    expect(ids(mergeActivity([event(50), event(40)], [event(39)], false))).toEqual([50, 40, 39]);
  });

  it('keeps the order by id when a burst arrives late and out of order', () => {
    expect(ids(mergeActivity([event(50), event(40)], [event(45), event(60), event(55)], true))).toEqual([
      60, 55, 50, 45, 40,
    ]);
  });

  it('takes everything pushed before the first page arrived', () => {
    expect(ids(mergeActivity([], [event(2), event(3)], false))).toEqual([3, 2]);
  });
});
