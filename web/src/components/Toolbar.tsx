import { useState } from 'preact/hooks';
import { DISPLAY_STATES, type DisplayState } from '@agent-status/domain';
import type { AgentFilter } from '../state/agentModel.ts';
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

export function Toolbar({ tags = [], view, onView, counts, total, filter, onFilter, canCommand, bulkBusy, bulkError, onStartAll, onStopAll }: Props) {
  const [confirmingStopAll, setConfirmingStopAll] = useState(false);
  const disabled = !canCommand || bulkBusy;
  return (
    <section class="toolbar" aria-label="Summary and controls">
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
      <div class="filters">
        <label>
          State{' '}
          <select
            value={filter.state}
            onInput={(e) => onFilter({ ...filter, state: (e.currentTarget as HTMLSelectElement).value as AgentFilter['state'] })}
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
            <select value={filter.tag ?? ''} onInput={(e) => onFilter({ ...filter, tag: (e.currentTarget as HTMLSelectElement).value })}>
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
        <button type="button" disabled={disabled} aria-describedby={canCommand ? undefined : VIEWER_REASON_ID} onClick={onStartAll}>
          Start all
        </button>
        {confirmingStopAll ? (
          <span class="confirm" role="alertdialog" aria-label="Confirm stop all">
            <span>Stop all {total} agents?</span>
            <button
              type="button"
              class="danger"
              ref={focusOnce}
              onClick={() => {
                setConfirmingStopAll(false);
                onStopAll();
              }}
            >
              Yes, stop all
            </button>
            <button type="button" onClick={() => setConfirmingStopAll(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            type="button"
            disabled={disabled}
            aria-describedby={canCommand ? undefined : VIEWER_REASON_ID}
            onClick={() => setConfirmingStopAll(true)}
          >
            Stop all
          </button>
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
