import { memo } from '../../lib/memo.ts';
import './fleet.css';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { hrefFor } from '../../lib/route.ts';
import { displayState } from '@agent-status/client';
import { pendingLabel } from '../../state/agentView.ts';
import { PendingNote } from '../PendingNote.tsx';
import type { Sort, SortColumn } from '../../state/agentSort.ts';
import type { Availability } from '@agent-status/domain';
import { HealthBar } from '../HealthBar.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { StatusBadge } from '../StatusBadge.tsx';
import { formatShare } from './availabilityText.ts';
import { formatMetricValue } from '../../lib/metrics.ts';
import type { ScheduleOverviewRow } from '@agent-status/domain';
import { ScheduleNote } from '../schedules/ScheduleNote.tsx';
import type { Agent } from '../../state/listRow.ts';

/** Every row has this height (CSS .fleet-table tr), so the window is plain arithmetic. */
export const ROW_HEIGHT = 40;
const OVERSCAN = 10;

const COLUMNS: [SortColumn, string][] = [
  ['name', 'Name'],
  ['state', 'State'],
  ['health', 'Health'],
  ['heartbeat', 'Heartbeat'],
  ['uptime', 'Uptime'],
  ['availability', 'Availability'],
  ['desired', 'Desired'],
  ['error', 'Last error'],
];

type Props = {
  agents: Agent[];
  availability: Readonly<Record<string, Availability>>;
  /** Which share the availability column shows: 0 (24 h), 2 (7 d) or 4 (30 d) of fleet_availability's. */
  availabilityIndex?: 0 | 2 | 4;
  clockOffsetMs: number;
  /** Every schedule (the store's), for each row's next scheduled change; null until read. */
  schedules?: readonly ScheduleOverviewRow[] | null;
  /** The agent whose detail is open. */
  openId: string | null;
  checked: ReadonlySet<string>;
  canSelect: boolean;
  sort: Sort;
  onSort: (sort: Sort) => void;
  onCheck: (ids: string[], checked: boolean) => void;
  onOpen: (agent: Agent) => void;
  /** Chosen custom metrics, one column each (state/metrics.ts), and their latest values by agent id. */
  metricColumns?: readonly string[];
  metricValues?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Told which agents' rows are on screen whenever that changes (a large fleet's poll reads just those). */
  onRowsShown?: (ids: readonly string[]) => void;
};

const NO_METRICS: Readonly<Record<string, number>> = {};

/**
 * The fleet as a dense table: sortable columns, a sticky header, and only the rows on screen in the
 * DOM (windowing), so 10,000 agents cost what 30 do. Keyboard: Tab enters at the current row, arrow
 * keys, Page Up/Down, Home and End move between rows, Space selects, Enter opens the agent.
 */
export function AgentTable({
  agents,
  availability,
  availabilityIndex = 0,
  clockOffsetMs,
  schedules = null,
  openId,
  checked,
  canSelect,
  sort,
  onSort,
  onCheck,
  onOpen,
  metricColumns = [],
  metricValues = {},
  onRowsShown,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(600);
  const [active, setActive] = useState(0);
  const focusAfterRender = useRef(false);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewHeight(element.clientHeight || 600);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const activeIndex = Math.min(active, Math.max(agents.length - 1, 0));
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(agents.length, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  const rows = agents.slice(first, last);
  const shownKey = rows.map((agent) => agent.id).join(',');
  useEffect(() => onRowsShown?.(shownKey ? shownKey.split(',') : []), [shownKey, onRowsShown]);

  useLayoutEffect(() => {
    if (!focusAfterRender.current) return;
    focusAfterRender.current = false;
    scroller.current?.querySelector<HTMLElement>(`tr[data-index="${activeIndex}"]`)?.focus({ preventScroll: true });
  });

  function moveTo(index: number) {
    const target = Math.max(0, Math.min(agents.length - 1, index));
    const element = scroller.current;
    if (element) {
      // Keep the row in view below the sticky header (one row high).
      const top = target * ROW_HEIGHT;
      const visible = element.clientHeight - ROW_HEIGHT;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + ROW_HEIGHT > element.scrollTop + visible) element.scrollTop = top + ROW_HEIGHT - visible;
      setScrollTop(element.scrollTop);
    }
    focusAfterRender.current = true;
    setActive(target);
  }

  function onKeyDown(event: KeyboardEvent) {
    const row = (event.target as HTMLElement).closest?.('tr[data-index]');
    if (!row || event.target !== row) return;
    const index = Number((row as HTMLElement).dataset.index);
    const page = Math.max(1, Math.floor(viewHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: agents.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onOpen(agents[index]);
    } else if (event.key === ' ' && canSelect) {
      event.preventDefault();
      onCheck([agents[index].id], !checked.has(agents[index].id));
    }
  }

  if (!agents.length) return <p class="empty">No agents match.</p>;
  const allChecked = agents.every((agent) => checked.has(agent.id));
  return (
    <div
      class="table-scroll"
      ref={scroller}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <table class="fleet-table" aria-label="Agents" aria-rowcount={agents.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {canSelect && (
              <th scope="col" class="check">
                <input
                  type="checkbox"
                  aria-label="Select all shown agents"
                  checked={allChecked}
                  onChange={() =>
                    onCheck(
                      agents.map((a) => a.id),
                      !allChecked,
                    )
                  }
                />
              </th>
            )}
            {COLUMNS.map(([column, label]) => (
              <th
                key={column}
                scope="col"
                class={`col-${column}`}
                aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined}
              >
                <button
                  type="button"
                  class="sort"
                  onClick={() => onSort({ column, descending: sort.column === column ? !sort.descending : false })}
                >
                  {label}
                  <span aria-hidden="true">{sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
            {metricColumns.map((metric) => {
              const column = `metric:${metric}` as const;
              return (
                <th
                  key={column}
                  scope="col"
                  class="col-metric"
                  data-metric={metric}
                  aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined}
                >
                  <button
                    type="button"
                    class="sort"
                    onClick={() =>
                      // A metric sorts highest first: the busiest or fullest agent comes to the top.
                      onSort({ column, descending: sort.column === column ? !sort.descending : true })
                    }
                  >
                    {metric}
                    <span aria-hidden="true">{sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              );
            })}
            <th scope="col" class="col-schedule">
              Next scheduled change
            </th>
            <th scope="col" class="col-tags">
              Tags
            </th>
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row holds nothing focusable */}
          {first > 0 && <tr class="spacer" aria-hidden="true" style={{ height: `${first * ROW_HEIGHT}px` }} />}
          {rows.map((agent, offset) => (
            <TableRow
              key={agent.id}
              agent={agent}
              index={first + offset}
              tabbable={first + offset === activeIndex}
              open={agent.id === openId}
              checked={checked.has(agent.id)}
              canSelect={canSelect}
              availability={availability[agent.id]?.[availabilityIndex] ?? null}
              clockOffsetMs={clockOffsetMs}
              schedules={schedules}
              onCheck={onCheck}
              onFocusRow={setActive}
              metricColumns={metricColumns}
              metrics={metricValues[agent.id] ?? NO_METRICS}
            />
          ))}
          {last < agents.length && (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row holds nothing focusable
            <tr class="spacer" aria-hidden="true" style={{ height: `${(agents.length - last) * ROW_HEIGHT}px` }} />
          )}
        </tbody>
      </table>
    </div>
  );
}

type RowProps = {
  agent: Agent;
  index: number;
  tabbable: boolean;
  open: boolean;
  checked: boolean;
  canSelect: boolean;
  availability: number | null;
  clockOffsetMs: number;
  schedules: readonly ScheduleOverviewRow[] | null;
  onCheck: (ids: string[], checked: boolean) => void;
  onFocusRow: (index: number) => void;
  metricColumns: readonly string[];
  metrics: Readonly<Record<string, number>>;
};

/** One agent's row. Memoized: a change to another agent re-renders only that agent's row. */
const TableRow = memo(function TableRow({
  agent,
  index,
  tabbable,
  open,
  checked,
  canSelect,
  availability,
  clockOffsetMs,
  schedules,
  onCheck,
  onFocusRow,
  metricColumns,
  metrics,
}: RowProps) {
  const state = displayState(agent);
  const pending = pendingLabel(agent);
  return (
    <tr
      data-agent={agent.agent_name}
      data-agent-id={agent.id}
      data-state={state}
      data-index={index}
      aria-rowindex={index + 2}
      aria-current={open ? 'true' : undefined}
      tabIndex={tabbable ? 0 : -1}
      class={`${open ? 'row-open' : ''}${checked ? ' row-checked' : ''}`}
      onFocus={(e) => e.target === e.currentTarget && onFocusRow(index)}
    >
      {canSelect && (
        <td class="check">
          <input
            type="checkbox"
            tabIndex={-1}
            aria-label={`Select ${agent.agent_name}`}
            checked={checked}
            onChange={() => onCheck([agent.id], !checked)}
          />
        </td>
      )}
      <td class="col-name">
        <a href={hrefFor({ page: 'agents', agent: agent.agent_name })} tabIndex={-1}>
          {agent.agent_name}
        </a>
      </td>
      <td class="col-state">
        <StatusBadge state={state} />
      </td>
      <td class="col-health">
        <HealthBar health={agent.health} offline={agent.offline} />
      </td>
      <td class="col-heartbeat" data-heartbeat>
        <RelativeTime iso={agent.last_heartbeat} clockOffsetMs={clockOffsetMs} />
      </td>
      <td class="col-uptime">
        {agent.started_at && agent.status !== 'stopped' && !agent.offline ? (
          <RelativeTime iso={agent.started_at} clockOffsetMs={clockOffsetMs} mode="duration" />
        ) : (
          '—'
        )}
      </td>
      <td class="col-availability" data-availability>
        {formatShare(availability)}
      </td>
      <td class="col-desired">
        {pending ? <PendingNote agent={agent} clockOffsetMs={clockOffsetMs} compact /> : agent.desired_state}
      </td>
      <td class="col-error error-text" title={agent.last_error ?? undefined}>
        {agent.last_error ?? ''}
      </td>
      {metricColumns.map((metric) => (
        <td key={metric} class="col-metric" data-metric={metric}>
          {formatMetricValue(metrics[metric])}
        </td>
      ))}
      <td class="col-schedule">{schedules && <ScheduleNote agent={agent} schedules={schedules} variant="row" />}</td>
      <td class="col-tags">
        {(agent.tags ?? []).map((tag) => (
          <span key={tag} class="tag">
            {tag}
          </span>
        ))}
      </td>
    </tr>
  );
});
