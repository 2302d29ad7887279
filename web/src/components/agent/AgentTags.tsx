import { useState } from 'preact/hooks';
import { TAGS_MAX_PER_AGENT, TAG_MAX_LENGTH, tagProblem } from '@agent-status/domain';
type Props = {
  agentName: string;
  tags: readonly string[];
  /** Adds and removes tags through the store; answers the failure's words, or null. */
  onChange: (add: string[], remove: string[]) => Promise<string | null>;
};

/** An agent's tags in its settings: remove one with its ×, add one by typing it (lower case, no spaces). */
export function AgentTags({ agentName, tags, onChange }: Props) {
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function change(add: string[], remove: string[]) {
    setBusy(true);
    setError(null);
    const failure = await onChange(add, remove);
    setBusy(false);
    if (failure) return setError(failure);
    setDraft('');
  }

  const submit = (e: Event) => {
    e.preventDefault();
    const tag = draft.trim().toLowerCase();
    const problem = tagProblem(tag);
    if (problem) return setError(problem);
    void change([tag], []);
  };

  return (
    <form class="agent-form tags-form" aria-label="Tags" onSubmit={submit}>
      <h3>Tags</h3>
      {tags.length ? (
        <ul class="tag-list" aria-label={`Tags of ${agentName}`}>
          {tags.map((tag) => (
            <li key={tag} class="tag" data-tag={tag}>
              {tag}{' '}
              <button
                type="button"
                class="tag-remove"
                aria-label={`Remove tag ${tag}`}
                disabled={busy}
                onClick={() => void change([], [tag])}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No tags yet.</p>
      )}
      <label>
        Add a tag
        <input
          value={draft}
          maxLength={TAG_MAX_LENGTH}
          placeholder="e.g. prod"
          aria-describedby="tag-hint"
          onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <p id="tag-hint" class="muted hint">
        Lower case, no spaces or commas, up to {TAG_MAX_LENGTH} characters; at most {TAGS_MAX_PER_AGENT} per agent.
        Filter and select agents by tag in the table.
      </p>
      <div class="form-actions">
        <button type="submit" disabled={busy || !draft.trim() || tags.length >= TAGS_MAX_PER_AGENT}>
          Add tag
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
