import { useState } from 'preact/hooks';
import {
  AGENT_DESCRIPTION_MAX_LENGTH,
  AGENT_NAME_MAX_LENGTH,
  DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
  HEARTBEAT_INTERVAL_RANGE_SECONDS,
} from '@agent-status/domain';
import type { AgentStore } from '../../state/agents.ts';

/** `store`: the agent is added through it, and the fleet read again. */
type Props = { store: AgentStore; onAdded: (agentName: string) => void };

/** #/add-agent: a name (and optionally a description and heartbeat interval); the agent starts stopped. */
export function AddAgentForm({ store, onAdded }: Props) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [heartbeat, setHeartbeat] = useState(String(DEFAULT_HEARTBEAT_INTERVAL_SECONDS));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    // What the fields hold now (read from the form, not from the last render).
    const fields = new FormData(e.currentTarget as HTMLFormElement);
    const field = (key: string) => String(fields.get(key) ?? '').trim();
    setBusy(true);
    setError(null);
    const result = await store.add(field('name'), {
      ...(field('description') ? { description: field('description') } : {}),
      heartbeat_interval_seconds: Number(field('heartbeat')),
    });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onAdded(result.value.agent_name);
  };

  return (
    <form class="agent-form" aria-label="Add agent" onSubmit={(e) => void add(e)}>
      <p class="muted">
        Add the agent here, then issue a token for its worker. It starts stopped; start it from the list once its worker
        runs.
      </p>
      <label>
        Name
        <input
          name="name"
          required
          maxLength={AGENT_NAME_MAX_LENGTH}
          value={name}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <label>
        Description (optional)
        <textarea
          name="description"
          rows={2}
          maxLength={AGENT_DESCRIPTION_MAX_LENGTH}
          value={description}
          onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)}
        />
      </label>
      <label>
        Heartbeat interval (seconds)
        <input
          name="heartbeat"
          type="number"
          required
          min={HEARTBEAT_INTERVAL_RANGE_SECONDS.min}
          max={HEARTBEAT_INTERVAL_RANGE_SECONDS.max}
          step={1}
          value={heartbeat}
          onInput={(e) => setHeartbeat((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Add agent
        </button>
      </div>
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
