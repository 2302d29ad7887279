import { useState } from 'preact/hooks';
import { DISPLAY_STATES, type DisplayState } from '@agent-status/domain';
import type { AgentFilter } from '../state/agentView.ts';
import { VIEWER_REASON_ID } from './AgentRow.tsx';
import { STATE_LABELS } from './StatusBadge.tsx';

export type ListView = 'cards' | 'table';

type Props = {
  /** Every tag in the fleet (the tag filter's choices). */
  tags?: readonly string[];
  view?: ListView;
  onView?: (view: ListView) => void;
  counts: Record<DisplayState, number>;
  total: number;
  /** Only a first screen of agents is known yet: no total or counts to show, nothing to start or stop all of. */
  loading?: boolean;
  filter: AgentFilter;
  onFilter: (filter: AgentFilter) => void;
  canCommand: boolean;
  bulkBusy: boolean;
  bulkError: string | null;
  onStartAll: () => void;
  onStopAll: () => void;
};

// Moves focus to the confirmation button when it appears (a keyboard user lands on it), once.
const focused = new WeakSet<HTMLElement>();
function focusOnce(button: HTMLButtonElement | null) {
  if (button && !focused.has(button)) {
    focused.add(button);
    button.focus();
  }
}

export function Toolbar({
  tags = [],
  view,
  onView,
  counts,
  total,
  loading = false,
  filter,
  onFilter,
  canCommand,
  bulkBusy,
  bulkError,
  onStartAll,
  onStopAll,
}: Props) {
  // Both ask first, with the count: on a fleet of thousands a stray click is expensive either way.
  const [confirming, setConfirming] = useState<'start' | 'stop' | null>(null);
  const disabled = !canCommand || bulkBusy || loading;
  return (
    <section class="toolbar" aria-label="Summary and controls">
      {loading ? (
        <p class="counts muted" data-loading>
          Loading the fleet…
        </p>
      ) : (
        <ul class="counts" aria-label="Agents per state">
          <li data-total={total}>
            <strong>{total.toLocaleString('en-US')}</strong> total
          </li>
          {DISPLAY_STATES.map((state) => (
            <li key={state} class={`count count-${state}`} data-count={state}>
              <span aria-hidden="true">{STATE_LABELS[state].icon}</span> <strong>{counts[state]}</strong>{' '}
              {STATE_LABELS[state].text.toLowerCase()}
            </li>
          ))}
        </ul>
      )}
      <div class="filters">
        <label>
          State{' '}
          <select
            value={filter.state}
            onInput={(e) =>
              onFilter({ ...filter, state: (e.currentTarget as HTMLSelectElement).value as AgentFilter['state'] })
            }
          >
            <option value="all">All</option>
            {DISPLAY_STATES.map((state) => (
              <option key={state} value={state}>
                {STATE_LABELS[state].text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search{' '}
          <input
            type="search"
            placeholder="Agent name"
            value={filter.search}
            onInput={(e) => onFilter({ ...filter, search: (e.currentTarget as HTMLInputElement).value })}
          />
        </label>
        {tags.length > 0 && (
          <label>
            Tag{' '}
            <select
              value={filter.tag ?? ''}
              onInput={(e) => onFilter({ ...filter, tag: (e.currentTarget as HTMLSelectElement).value })}
            >
              <option value="">Any</option>
              {tags.map((tag) => (
                <option key={tag} value={tag}>
                  {tag}
                </option>
              ))}
            </select>
          </label>
        )}
        {view && onView && (
          <span class="view-toggle" role="group" aria-label="View">
            {(['cards', 'table'] as const).map((choice) => (
              <button key={choice} type="button" aria-pressed={view === choice} onClick={() => onView(choice)}>
                {choice === 'cards' ? 'Cards' : 'Table'}
              </button>
            ))}
          </span>
        )}
      </div>
      <div class="bulk" role="group" aria-label="All agents">
        {confirming ? (
          <span class="confirm" role="alertdialog" aria-label={`Confirm ${confirming} all`}>
            <span>
              {confirming === 'start' ? 'Start' : 'Stop'} all {total.toLocaleString('en-US')} agents?
            </span>
            <button
              type="button"
              class={confirming === 'stop' ? 'danger' : undefined}
              ref={focusOnce}
              onClick={() => {
                setConfirming(null);
                if (confirming === 'start') onStartAll();
                else onStopAll();
              }}
            >
              Yes, {confirming} all
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </span>
        ) : (
          (['start', 'stop'] as const).map((which) => (
            <button
              key={which}
              type="button"
              disabled={disabled}
              aria-describedby={canCommand ? undefined : VIEWER_REASON_ID}
              onClick={() => setConfirming(which)}
            >
              {which === 'start' ? 'Start all' : 'Stop all'}
            </button>
          ))
        )}
        {!canCommand && (
          <p id={VIEWER_REASON_ID} class="muted reason">
            Read-only: viewers cannot start or stop agents.
          </p>
        )}
        {bulkError && (
          <p class="command-error" role="alert">
            {bulkError}
          </p>
        )}
      </div>
    </section>
  );
}
