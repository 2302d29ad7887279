import { useState } from 'preact/hooks';
import type { AgentCommand } from '@agent-status/domain';

type Props = {
  count: number;
  busy: boolean;
  onCommand: (command: AgentCommand) => void;
  onClear: () => void;
  /** Adds a tag to every selected agent (one /tags request); resolves to an error message or null. */
  onTag?: (tag: string) => Promise<string | null>;
};

// A keyboard user lands on the confirmation when it appears (once, not on every re-render).
const focused = new WeakSet<HTMLElement>();
function focusOnce(button: HTMLButtonElement | null) {
  if (button && !focused.has(button)) {
    focused.add(button);
    button.focus();
  }
}

const LABELS: Record<AgentCommand, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };

/** Commands for the selected agents: each asks "Stop 37 agents?" first, then goes as one request. */
export function SelectionBar({ count, busy, onCommand, onClear, onTag }: Props) {
  const [confirming, setConfirming] = useState<AgentCommand | null>(null);
  const [tag, setTag] = useState('');
  const [tagError, setTagError] = useState<string | null>(null);
  if (!count) return null;
  const agents = `${count.toLocaleString('en-US')} agent${count === 1 ? '' : 's'}`;
  return (
    <div class="selection-bar" role="group" aria-label="Selected agents" data-selected={count}>
      <span>
        <strong>{agents}</strong> selected
      </span>
      {confirming ? (
        <span class="confirm" role="alertdialog" aria-label={`Confirm ${LABELS[confirming].toLowerCase()}`}>
          <span>
            {LABELS[confirming]} {agents}?
          </span>
          <button
            type="button"
            class={confirming === 'start' ? undefined : 'danger'}
            ref={focusOnce}
            onClick={() => {
              setConfirming(null);
              onCommand(confirming);
            }}
          >
            Yes, {LABELS[confirming].toLowerCase()} {agents}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </span>
      ) : (
        (['start', 'stop', 'restart'] as const).map((command) => (
          <button key={command} type="button" disabled={busy} onClick={() => setConfirming(command)}>
            {LABELS[command]} selected
          </button>
        ))
      )}
      {onTag && (
        <form
          class="inline-form"
          aria-label="Tag selected agents"
          onSubmit={async (e) => {
            e.preventDefault();
            const error = await onTag(tag.trim().toLowerCase());
            setTagError(error);
            if (!error) setTag('');
          }}
        >
          <input
            aria-label="Tag for the selected agents"
            placeholder="tag"
            value={tag}
            onInput={(e) => setTag((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" disabled={busy || !tag.trim()}>
            Add tag
          </button>
        </form>
      )}
      <button type="button" class="link" onClick={onClear}>
        Clear selection
      </button>
      {tagError && (
        <p class="command-error" role="alert">
          {tagError}
        </p>
      )}
    </div>
  );
}
