import { useState } from 'preact/hooks';
import type { ComponentChild } from 'preact';
import type { AgentEventRow } from '@agent-status/domain';
import { formatTimestamp } from '../../lib/time.ts';

type Props = {
  kind: AgentEventRow['kind'];
  /** "1,234 agents went offline" */
  summary: string;
  /** Newest first. */
  events: AgentEventRow[];
  render: (event: AgentEventRow) => ComponentChild;
};

/**
 * A burst of one kind of event as one row of the feed, which opens to list them. Its events are drawn
 * only while it is open: a burst of 1,234 costs one row until someone asks to see them.
 */
export function EventBurst({ kind, summary, events, render }: Props) {
  const [open, setOpen] = useState(false);
  const newest = events[0];
  const oldest = events[events.length - 1];
  const span =
    formatTimestamp(oldest.created_at) === formatTimestamp(newest.created_at)
      ? ''
      : ` (from ${formatTimestamp(oldest.created_at)})`;
  return (
    <li
      class={`event event-burst event-${kind}`}
      data-event-kind={kind}
      data-event-id={newest.id}
      data-burst-count={events.length}
    >
      <details open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>
          <time dateTime={newest.created_at} title={`newest${span}`}>
            {formatTimestamp(newest.created_at)}
          </time>
          <span class="activity-line">
            <span class="event-kind">{kind}</span> <strong class="event-text">{summary}</strong>
          </span>
        </summary>
        {open && <ol class="activity burst-events">{events.map(render)}</ol>}
      </details>
    </li>
  );
}
