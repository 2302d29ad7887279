import { useEffect, useMemo, useState } from 'preact/hooks';
import { BURST_WINDOW_MS, describeBurst, groupBursts, type AgentEventRow } from '@agent-status/domain';
import {
  ACTIVITY_KINDS,
  matchesActivity,
  mergeActivity,
  readActivity,
  readBurstRest,
  type ActivityFilter,
  type ActivityKind,
} from '../lib/activity.ts';
import { hrefFor, type Route } from '../lib/route.ts';
import { formatTimestamp } from '../lib/time.ts';
import type { DashboardClient } from '../lib/supabase.ts';
import type { AgentStore, StoreState } from '../state/agents.ts';
import { useStore } from '../state/useStore.ts';
import { describeEvent } from '../components/AgentDetail.tsx';
import { EventBurst } from '../components/activity/EventBurst.tsx';
import '../components/fleet/fleet.css';

const selectAgents = (s: StoreState) => s.agents;

type Props = {
  client: DashboardClient;
  store: AgentStore;
  /** From the address: #/activity?kind=…&agent=… */
  kind?: string;
  agent?: string;
  navigate: (route: Route) => void;
};

/** `cursor`: where paging goes on (the oldest event of the pages read; a completed burst may reach further back). */
type Feed = { events: AgentEventRow[]; more: boolean; loading: boolean; error: string | null; cursor: number | null };

const EMPTY_FEED: Feed = { events: [], more: false, loading: true, error: null, cursor: null };

/**
 * When a page ends inside a burst (the first 50 of 1,234 offline events), the rest of that burst, so its row
 * counts them all: the events of the last one's kind from the burst window before the newest of them shown.
 */
async function restOfBurst(
  client: DashboardClient,
  filter: ActivityFilter,
  events: readonly AgentEventRow[],
  more: boolean,
): Promise<AgentEventRow[]> {
  const last = events.at(-1);
  if (!more || !last) return [];
  const lastMs = Date.parse(last.created_at);
  let newest = last;
  for (const event of events)
    if (event.kind === last.kind && Date.parse(event.created_at) - lastMs <= BURST_WINDOW_MS) {
      if (Date.parse(event.created_at) > Date.parse(newest.created_at)) newest = event;
    }
  return readBurstRest(client, filter, last.kind, newest.created_at, last.id);
}

/**
 * #/activity: every agent's events, newest first, live (pushed by the same Realtime channel as the
 * fleet), filtered by kind and agent (both in the address, so a filtered feed can be shared), and
 * paged back through the history by keyset.
 */
export function ActivityPage({ client, store, kind, agent, navigate }: Props) {
  const agents = useStore(store, selectAgents);
  const kindFilter = kind && kind in ACTIVITY_KINDS ? (kind as ActivityKind) : null;
  const agentId = useMemo(
    () => (agent ? (Object.values(agents.byId).find((a) => a.agent_name === agent)?.id ?? null) : null),
    [agent, agents.byId],
  );
  const unknownAgent = Boolean(agent) && agents.loaded && !agentId;
  const filter: ActivityFilter = useMemo(() => ({ kind: kindFilter, agentId }), [kindFilter, agentId]);
  const [feed, setFeed] = useState<Feed>(EMPTY_FEED);
  const [draftAgent, setDraftAgent] = useState(agent ?? '');

  useEffect(() => setDraftAgent(agent ?? ''), [agent]);

  useEffect(() => {
    if (unknownAgent || (agent && !agentId)) return;
    let current = true;
    setFeed(EMPTY_FEED);
    // Live first, then the first page: an event pushed during the read is kept, not lost.
    const live: AgentEventRow[] = [];
    const unsubscribe = store.onEvents((event) => {
      if (!matchesActivity(event, filter)) return;
      live.push(event);
      setFeed((previous) => ({ ...previous, events: mergeActivity(previous.events, [event], previous.more) }));
    });
    void readActivity(client, filter, null).then(async (page) => {
      const rest = await restOfBurst(client, filter, page.events, page.more);
      if (!current) return;
      setFeed({
        events: mergeActivity([...page.events, ...rest], live, page.more),
        more: page.more,
        loading: false,
        error: page.error,
        cursor: page.events.at(-1)?.id ?? null,
      });
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [client, store, filter, unknownAgent, agent, agentId]);

  async function older() {
    if (feed.cursor === null) return;
    setFeed((previous) => ({ ...previous, loading: true }));
    const page = await readActivity(client, filter, feed.cursor);
    const rest = await restOfBurst(client, filter, page.events, page.more);
    setFeed((previous) => {
      const shown = new Set(previous.events.map((e) => e.id));
      const fresh = [...page.events, ...rest].filter((e) => !shown.has(e.id) && shown.add(e.id));
      return {
        events: [...previous.events, ...fresh].sort((a, b) => b.id - a.id),
        more: page.more,
        loading: false,
        error: page.error,
        cursor: page.events.at(-1)?.id ?? previous.cursor,
      };
    });
  }

  const nameOf = (id: string) => agents.byId[id]?.agent_name ?? null;
  // A burst of one kind (a sweep that marks 1,234 agents offline) is one expandable row.
  const items = useMemo(() => groupBursts(feed.events), [feed.events]);
  const setFilter = (next: { kind?: string; agent?: string }) =>
    navigate({
      page: 'activity',
      ...(next.kind ? { kind: next.kind } : {}),
      ...(next.agent ? { agent: next.agent } : {}),
    });

  return (
    <main class="content activity-page">
      <h2>Fleet activity</h2>
      <form
        class="filters"
        aria-label="Filter the activity"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ kind: kindFilter ?? undefined, agent: draftAgent.trim() || undefined });
        }}
      >
        <label>
          Kind{' '}
          <select
            value={kindFilter ?? ''}
            onInput={(e) => setFilter({ kind: (e.currentTarget as HTMLSelectElement).value || undefined, agent })}
          >
            <option value="">All</option>
            {Object.entries(ACTIVITY_KINDS).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Agent{' '}
          <input
            type="search"
            placeholder="Agent name"
            value={draftAgent}
            onInput={(e) => setDraftAgent((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Show</button>
        {(kindFilter || agent) && (
          <a href={hrefFor({ page: 'activity' })} class="button">
            Clear filters
          </a>
        )}
      </form>
      {unknownAgent && (
        <p class="command-error" role="alert">
          There is no agent named “{agent}”.
        </p>
      )}
      {feed.error && (
        <p class="command-error" role="alert">
          {feed.error}
        </p>
      )}
      <ol class="activity" aria-label="Events, newest first" aria-busy={feed.loading}>
        {items.map((item) =>
          item.type === 'event' ? (
            <ActivityEvent key={item.event.id} event={item.event} name={nameOf(item.event.agent_id)} />
          ) : (
            <EventBurst
              key={`burst-${item.events[0].id}`}
              kind={item.kind}
              summary={describeBurst(item.kind, item.events.length)}
              events={item.events}
              render={(event) => <ActivityEvent key={event.id} event={event} name={nameOf(event.agent_id)} />}
            />
          ),
        )}
      </ol>
      {!feed.loading && !feed.events.length && !feed.error && <p class="empty">No events match.</p>}
      {feed.loading && <p class="muted">Loading events…</p>}
      {feed.more && !feed.loading && (
        <button type="button" onClick={() => void older()}>
          Older events
        </button>
      )}
    </main>
  );
}

/** One event of the feed: when, which agent, what happened. */
function ActivityEvent({ event, name }: { event: AgentEventRow; name: string | null }) {
  return (
    <li class={`event event-${event.kind}`} data-event-kind={event.kind} data-event-id={event.id}>
      <time dateTime={event.created_at}>{formatTimestamp(event.created_at)}</time>
      <span class="activity-line">
        {name ? (
          <a href={hrefFor({ page: 'agents', agent: name })}>{name}</a>
        ) : (
          <span class="muted">(deleted agent)</span>
        )}{' '}
        <span class="event-kind">{event.kind}</span> <span class="event-text">{describeEvent(event)}</span>
      </span>
    </li>
  );
}
