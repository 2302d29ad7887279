// Bursts of events: when a sweep marks 1,234 agents offline, or a start-all is acknowledged by every
// agent, a feed shows one row ("1,234 agents went offline") instead of 1,234 identical ones. The same
// rule for the dashboard's #/activity and the CLI's `events --follow`.
import type { AgentEventRow } from './types.ts';

type AgentEventKind = AgentEventRow['kind'];

/** Events of one kind this close to the burst's newest one belong to it. */
export const BURST_WINDOW_MS = 5_000;
/** Fewer events of a kind than this are shown one by one. */
export const BURST_MIN_EVENTS = 3;

/** What bursts need of an event (agent_events rows have it). */
export interface BurstEvent {
  id: number;
  kind: AgentEventKind;
  created_at: string;
  agent_id: string;
}

export type FeedItem<E extends BurstEvent> =
  | { type: 'event'; event: E }
  | { type: 'burst'; kind: AgentEventKind; events: E[] };

/**
 * Groups a feed (newest first, as shown) into single events and bursts. A burst is at least
 * BURST_MIN_EVENTS events of one kind, each within BURST_WINDOW_MS of the burst's newest event; it takes
 * the place of its newest event, and events of other kinds in between keep theirs.
 */
export function groupBursts<E extends BurstEvent>(
  events: readonly E[],
  { windowMs = BURST_WINDOW_MS, minEvents = BURST_MIN_EVENTS } = {},
): FeedItem<E>[] {
  type Group = { newestMs: number; first: number; members: E[] };
  const groupAt: Group[] = []; // each event's group, by the event's index
  const open = new Map<AgentEventKind, Group>();
  events.forEach((event, index) => {
    const at = Date.parse(event.created_at);
    let group = open.get(event.kind);
    if (!group || !(group.newestMs - at <= windowMs)) {
      group = { newestMs: at, first: index, members: [] };
      open.set(event.kind, group);
    }
    group.members.push(event);
    groupAt.push(group);
  });
  const items: FeedItem<E>[] = [];
  events.forEach((event, index) => {
    const { members, first } = groupAt[index];
    if (members.length < minEvents) items.push({ type: 'event', event });
    else if (first === index) items.push({ type: 'burst', kind: event.kind, events: members });
  });
  return items;
}

const BURST_TEXT: Partial<Record<AgentEventKind, (n: string) => string>> = {
  offline: (n) => `${n} agents went offline`,
  online: (n) => `${n} agents came back online`,
  command: (n) => `${n} commands`,
  acknowledged: (n) => `${n} agents carried out a command`,
  status: (n) => `${n} agents changed state`,
  error: (n) => `${n} errors`,
  warning: (n) => `${n} warnings`,
  health: (n) => `${n} health changes`,
  created: (n) => `${n} agents added`,
  updated: (n) => `${n} agents changed`,
  token_issued: (n) => `${n} tokens issued`,
  token_revoked: (n) => `${n} tokens revoked`,
  duplicate_instance: (n) => `${n} second workers`,
};

/** "1,234 agents went offline", "12 errors", … ("12 <kind> events" for a kind without its own words). */
export function describeBurst(kind: AgentEventKind, count: number): string {
  const n = count.toLocaleString('en-US');
  return BURST_TEXT[kind]?.(n) ?? `${n} ${kind} events`;
}

/** How many different agents a burst names (a burst can hold several events of one agent). */
export const burstAgents = (events: readonly BurstEvent[]): number => new Set(events.map((e) => e.agent_id)).size;
