import { useState } from 'preact/hooks';
import {
  AGENT_DESCRIPTION_MAX_LENGTH,
  AGENT_NAME_MAX_LENGTH,
  HEARTBEAT_INTERVAL_RANGE_SECONDS,
  OFFLINE_AFTER_MISSED_HEARTBEATS,
  OFFLINE_AFTER_RANGE_SECONDS,
} from '@agent-status/domain';
import type { AgentStore, SettingsChange } from '../../state/agents.ts';
import { AgentTags } from './AgentTags.tsx';

/** What the settings view shows of an agent (a row of agent_overview has all of it). */
export interface AgentSettingsSource {
  id: string;
  agent_name: string;
  description: string | null;
  heartbeat_interval_seconds: number;
  offline_after_seconds: number | null;
  tags?: string[] | null;
}

type Props = {
  /** Changes go through the store, which shows the server's answer at once. */
  store: AgentStore;
  agent: AgentSettingsSource;
  canManage: boolean;
  /** After a save: the agent's name now (a rename changes it). */
  onSaved: (agentName: string) => void;
  onDeleted: () => void;
};

/**
 * #/agents/<name>/settings: rename, description, heartbeat interval, offline-after grace, and delete with a
 * typed confirmation. Self-contained: it needs the agent's current settings and the store, nothing of the page.
 */
export function AgentSettings({ store, agent, canManage, onSaved, onDeleted }: Props) {
  // Outside the keyed form, so that it outlives the form's fresh start after a save.
  const [saved, setSaved] = useState<string | null>(null);
  if (!canManage) return <p class="muted">Only operators can change an agent's settings.</p>;
  // Keyed by what the agent has now: another agent, or a change made elsewhere, starts the form afresh.
  const current = [
    agent.agent_name,
    agent.description,
    agent.heartbeat_interval_seconds,
    agent.offline_after_seconds,
  ].join('\u0000');
  return (
    <>
      <SettingsForm
        key={current}
        store={store}
        agent={agent}
        onEdit={() => setSaved(null)}
        onSaved={(name) => {
          setSaved(`Saved ${new Date().toLocaleTimeString()}.`);
          onSaved(name);
        }}
      />
      {saved && (
        <p class="muted" role="status">
          {saved}
        </p>
      )}
      <AgentTags
        agentName={agent.agent_name}
        tags={agent.tags ?? []}
        onChange={(add, remove) => store.tag([agent.id], { add, remove })}
      />
      <DeleteAgent
        key={agent.agent_name}
        agentName={agent.agent_name}
        onDelete={() => store.remove(agent.id)}
        onDeleted={onDeleted}
      />
    </>
  );
}

function SettingsForm({
  store,
  agent,
  onSaved,
  onEdit,
}: Pick<Props, 'store' | 'agent' | 'onSaved'> & { onEdit: () => void }) {
  const initial = () => ({
    name: agent.agent_name,
    description: agent.description ?? '',
    heartbeat: String(agent.heartbeat_interval_seconds),
    offlineAfter: agent.offline_after_seconds === null ? '' : String(agent.offline_after_seconds),
  });
  const [form, setForm] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const set = (key: keyof ReturnType<typeof initial>) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    onEdit();
    setForm((current) => ({ ...current, [key]: value }));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    // What the fields hold now (read from the form, not from the last render).
    const fields = new FormData(e.currentTarget as HTMLFormElement);
    const field = (name: string) => String(fields.get(name) ?? '').trim();
    const changes: SettingsChange = {};
    const name = field('name');
    if (name !== agent.agent_name) changes.new_name = name;
    if ((field('description') || null) !== agent.description) changes.description = field('description') || null;
    if (Number(field('heartbeat')) !== agent.heartbeat_interval_seconds)
      changes.heartbeat_interval_seconds = Number(field('heartbeat'));
    const offlineAfter = field('offlineAfter') === '' ? null : Number(field('offlineAfter'));
    if (offlineAfter !== agent.offline_after_seconds) changes.offline_after_seconds = offlineAfter;
    if (Object.keys(changes).length === 0) return onSaved(agent.agent_name);
    setBusy(true);
    setError(null);
    const result = await store.changeSettings(agent.id, changes);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onSaved(result.value.agent_name);
  };

  const derived = Number(form.heartbeat) * OFFLINE_AFTER_MISSED_HEARTBEATS;
  return (
    <form class="agent-form" aria-label="Agent settings" onSubmit={(e) => void save(e)}>
      <label>
        Name
        <input name="name" required maxLength={AGENT_NAME_MAX_LENGTH} value={form.name} onInput={set('name')} />
      </label>
      <label>
        Description
        <textarea
          name="description"
          rows={3}
          maxLength={AGENT_DESCRIPTION_MAX_LENGTH}
          value={form.description}
          onInput={set('description')}
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
          value={form.heartbeat}
          onInput={set('heartbeat')}
          aria-describedby="heartbeat-hint"
        />
      </label>
      <p id="heartbeat-hint" class="muted hint">
        How often the agent reports. Workers that run <code>runAgent</code> / <code>run_agent</code> report their own
        interval when they start.
      </p>
      <label>
        Offline after (seconds)
        <input
          name="offlineAfter"
          type="number"
          min={OFFLINE_AFTER_RANGE_SECONDS.min}
          max={OFFLINE_AFTER_RANGE_SECONDS.max}
          step={1}
          placeholder={
            Number.isFinite(derived) && derived > 0 ? `${derived} (${OFFLINE_AFTER_MISSED_HEARTBEATS} heartbeats)` : ''
          }
          value={form.offlineAfter}
          onInput={set('offlineAfter')}
          aria-describedby="offline-hint"
        />
      </label>
      <p id="offline-hint" class="muted hint">
        Silence this long marks the agent offline. Empty: {OFFLINE_AFTER_MISSED_HEARTBEATS} missed heartbeats.
      </p>
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Save
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

function DeleteAgent({
  agentName,
  onDelete,
  onDeleted,
}: {
  agentName: string;
  /** Answers the failure's words, or null. */
  onDelete: () => Promise<string | null>;
  onDeleted: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async (e: Event) => {
    e.preventDefault();
    if (typed !== agentName) return;
    setBusy(true);
    setError(null);
    const failure = await onDelete();
    setBusy(false);
    if (failure) return setError(failure);
    onDeleted();
  };
  return (
    <form class="agent-form danger-zone" aria-label="Delete agent" onSubmit={(e) => void remove(e)}>
      <h3>Delete this agent</h3>
      <p class="muted">
        Removes the agent, its history and its tokens. A worker still running with one of them is refused from then on.
        This cannot be undone.
      </p>
      <label>
        <span>
          Type <strong>{agentName}</strong> to confirm
        </span>
        <input
          value={typed}
          onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
          autoComplete="off"
        />
      </label>
      <div class="form-actions">
        <button type="submit" class="danger" disabled={busy || typed !== agentName}>
          Delete agent
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
