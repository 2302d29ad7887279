// The fleet activity feed's reads: every agent's events, newest first, in pages by keyset (id), so
// paging back through 100,000 events costs the same as the first page (no OFFSET).
import { BURST_WINDOW_MS, type AgentEventRow } from '@agent-status/domain';
import type { DashboardClient } from './supabase.ts';

/** What the kind filter offers, each a group of agent_events kinds. */
export const ACTIVITY_KINDS = {
  status: { label: 'Status changes', kinds: ['status'] },
  warning: { label: 'Warnings', kinds: ['warning'] },
  error: { label: 'Errors', kinds: ['error'] },
  command: { label: 'Commands', kinds: ['command', 'acknowledged'] },
  presence: { label: 'Offline / online', kinds: ['offline', 'online'] },
  registry: { label: 'Settings and tokens', kinds: ['created', 'updated', 'token_issued', 'token_revoked'] },
  health: { label: 'Health', kinds: ['health'] },
} as const satisfies Record<string, { label: string; kinds: readonly AgentEventRow['kind'][] }>;
export type ActivityKind = keyof typeof ACTIVITY_KINDS;

export const ACTIVITY_PAGE_SIZE = 50;

export type ActivityFilter = { kind: ActivityKind | null; agentId: string | null };

export function matchesActivity(event: AgentEventRow, filter: ActivityFilter): boolean {
  if (filter.agentId && event.agent_id !== filter.agentId) return false;
  return !filter.kind || (ACTIVITY_KINDS[filter.kind].kinds as readonly string[]).includes(event.kind);
}

/** One page of events older than `beforeId` (the newest when null); `more` says whether older ones exist. */
export async function readActivity(
  client: DashboardClient,
  filter: ActivityFilter,
  beforeId: number | null,
  limit = ACTIVITY_PAGE_SIZE,
): Promise<{ events: AgentEventRow[]; more: boolean; error: string | null }> {
  let query = client.from('agent_events').select('*');
  if (filter.agentId) query = query.eq('agent_id', filter.agentId);
  if (filter.kind) query = query.in('kind', [...ACTIVITY_KINDS[filter.kind].kinds]);
  if (beforeId !== null) query = query.lt('id', beforeId);
  // One more than shown: whether an older page exists, without counting.
  const { data, error } = await query.order('id', { ascending: false }).limit(limit + 1);
  if (error) return { events: [], more: false, error: error.message || 'Could not load the activity.' };
  const rows = data ?? [];
  return { events: rows.slice(0, limit), more: rows.length > limit, error: null };
}

/** At most this many events of one burst are read to complete it (a sweep of 10,000 agents is one read). */
export const BURST_READ_LIMIT = 10_000;

/**
 * The rest of a burst that a page cut: the events of `kind` older than `beforeId` recorded within the burst
 * window of its newest event (`newestAt`), so the row says "1,234 agents went offline", not the 50 of the
 * first page. Paging on goes on from the page's own last event, so nothing in between is skipped.
 */
export async function readBurstRest(
  client: DashboardClient,
  filter: ActivityFilter,
  kind: AgentEventRow['kind'],
  newestAt: string,
  beforeId: number,
): Promise<AgentEventRow[]> {
  let query = client.from('agent_events').select('*').eq('kind', kind).lt('id', beforeId);
  if (filter.agentId) query = query.eq('agent_id', filter.agentId);
  const since = new Date(Date.parse(newestAt) - BURST_WINDOW_MS).toISOString();
  const { data } = await query.gte('created_at', since).order('id', { ascending: false }).limit(BURST_READ_LIMIT);
  return data ?? [];
}

/**
 * Adds pushed events to a feed kept newest first by id (the recording order), without duplicates. While
 * older pages remain, an event older than the oldest one shown is left to paging: pushed late (a burst
 * that Realtime delivers after the first page was read), it would otherwise sit out of order at the top
 * and then come again with its page.
 */
export function mergeActivity(
  events: readonly AgentEventRow[],
  pushed: readonly AgentEventRow[],
  more: boolean,
): AgentEventRow[] {
  const oldest = events.at(-1)?.id;
  const shown = new Set(events.map((e) => e.id));
  const fresh = pushed.filter((e) => !shown.has(e.id) && (!more || oldest === undefined || e.id > oldest));
  if (fresh.length === 0) return [...events];
  return [...events, ...fresh].sort((a, b) => b.id - a.id);
}
