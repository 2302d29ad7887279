import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Result } from '@agent-status/client';
import type { DashboardClient } from '../lib/supabase.ts';
import {
  badgeLinks,
  issueBadgeKey,
  issueMetricsToken,
  listBadgeKeys,
  listMetricsTokens,
  metricsUrl,
  revokeBadgeKey,
  revokeMetricsToken,
  type BadgeKey,
  type MetricsToken,
} from '../lib/monitoring.ts';
import { orderedAgents } from '@agent-status/client';
import type { AgentStore, StoreState } from '../state/agents.ts';
import { useStore } from '../state/useStore.ts';

const selectAgents = (s: StoreState) => s.agents;

type Props = { client: DashboardClient; store: AgentStore; projectUrl: string; canManage: boolean };

/** #/settings/monitoring: operators issue, list and revoke Prometheus metrics tokens and status badge keys. */
export function MonitoringPage({ client, store, projectUrl, canManage }: Props) {
  if (!canManage) {
    return (
      <main class="content">
        <p class="command-error" role="alert">
          Only operators manage metrics tokens and badges.
        </p>
      </main>
    );
  }
  return (
    <main class="content monitoring">
      <MetricsTokens client={client} projectUrl={projectUrl} />
      <Badges client={client} store={store} projectUrl={projectUrl} />
    </main>
  );
}

/** Loads a list, and reloads it after each change. */
function useList<T>(load: () => Promise<Result<T[]>>) {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    const result = await load();
    if (result.ok) setItems(result.value);
    setError(result.ok ? null : result.error.message);
  }, [load]);
  useEffect(() => void reload(), [reload]);
  return { items, error, setError, reload };
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <label class="copy-field">
      <span>{label}</span>
      <input readOnly value={value} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
      <button type="button" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </label>
  );
}

function MetricsTokens({ client, projectUrl }: { client: DashboardClient; projectUrl: string }) {
  const { items, error, setError, reload } = useList<MetricsToken>(
    useCallback(() => listMetricsTokens(client), [client]),
  );
  const [label, setLabel] = useState('');
  const [fresh, setFresh] = useState<string | null>(null);
  const issue = async (event: Event) => {
    event.preventDefault();
    const result = await issueMetricsToken(client, label.trim());
    if (!result.ok) return setError(result.error.message);
    setFresh(result.value);
    setLabel('');
    await reload();
  };
  const revoke = async (id: string) => {
    const result = await revokeMetricsToken(client, id);
    if (!result.ok) return setError(result.error.message);
    await reload();
  };
  return (
    <section class="panel" aria-labelledby="metrics-tokens-title">
      <h2 id="metrics-tokens-title">Prometheus metrics tokens</h2>
      <p class="muted">
        Prometheus scrapes <code>{metricsUrl(projectUrl)}</code> with <code>Authorization: Bearer &lt;token&gt;</code>.
        A token reads the fleet's numbers and nothing else.
      </p>
      <form class="inline-form" onSubmit={(e) => void issue(e)}>
        <label>
          Label{' '}
          <input
            value={label}
            maxLength={100}
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
            placeholder="e.g. prometheus-prod"
          />
        </label>
        <button type="submit">Issue token</button>
      </form>
      {fresh && (
        <div class="fresh" role="status">
          <p>Copy this token now: it is shown only once.</p>
          <CopyField label="Token" value={fresh} />
        </div>
      )}
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
      <table class="credentials">
        <thead>
          <tr>
            <th>Label</th>
            <th>Issued</th>
            <th>Last used</th>
            <th>Status</th>
            <th>
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((token) => (
            <tr key={token.id}>
              <td>{token.label || <span class="muted">(no label)</span>}</td>
              <td>
                {when(token.created_at)}
                {token.created_by_email ? ` by ${token.created_by_email}` : ''}
              </td>
              <td>{when(token.last_used_at)}</td>
              <td>{token.revoked_at ? 'revoked' : 'active'}</td>
              <td>
                {!token.revoked_at && (
                  <button type="button" class="danger" onClick={() => void revoke(token.id)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !error && <p class="empty">No metrics tokens yet.</p>}
    </section>
  );
}

function Badges({ client, store, projectUrl }: { client: DashboardClient; store: AgentStore; projectUrl: string }) {
  const { items, error, setError, reload } = useList<BadgeKey>(useCallback(() => listBadgeKeys(client), [client]));
  const agentsState = useStore(store, selectAgents);
  const agents = useMemo(() => orderedAgents(agentsState), [agentsState]);
  const names = useMemo(() => new Map(agents.map((a) => [a.id, a.agent_name])), [agents]);
  const [agent, setAgent] = useState('');
  const [label, setLabel] = useState('');
  const issue = async (event: Event) => {
    event.preventDefault();
    const result = await issueBadgeKey(client, agent === '' ? null : agent, label.trim());
    if (!result.ok) return setError(result.error.message);
    setLabel('');
    await reload();
  };
  const revoke = async (id: string) => {
    const result = await revokeBadgeKey(client, id);
    if (!result.ok) return setError(result.error.message);
    await reload();
  };
  return (
    <section class="panel" aria-labelledby="badges-title">
      <h2 id="badges-title">Status badges</h2>
      <p class="muted">
        A badge shows one agent's state, or how many agents are up, to anyone with its URL — nothing else. Revoke it to
        make the URL answer 404.
      </p>
      <form class="inline-form" onSubmit={(e) => void issue(e)}>
        <label>
          Agent{' '}
          <select value={agent} onInput={(e) => setAgent((e.target as HTMLSelectElement).value)}>
            <option value="">All agents</option>
            {agents.map((a) => (
              <option key={a.id} value={a.agent_name}>
                {a.agent_name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Label{' '}
          <input
            value={label}
            maxLength={100}
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
            placeholder="e.g. README"
          />
        </label>
        <button type="submit">Issue badge</button>
      </form>
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
      <ul class="badge-keys">
        {items.map((key) => {
          const name = key.agent_id === null ? null : (names.get(key.agent_id) ?? null);
          const links = badgeLinks(projectUrl, key.key, name);
          return (
            <li key={key.id} class="badge-key" data-badge-id={key.id}>
              <div class="badge-key-head">
                <strong>{key.agent_id === null ? 'All agents' : (name ?? 'Unknown agent')}</strong>
                {key.label && <span class="muted"> · {key.label}</span>}
                <span class="muted"> · {key.revoked_at ? 'revoked' : 'active'}</span>
                {!key.revoked_at && (
                  <button type="button" class="danger" onClick={() => void revoke(key.id)}>
                    Revoke
                  </button>
                )}
              </div>
              {!key.revoked_at && (
                <>
                  <CopyField label="Badge URL" value={links.svg} />
                  <CopyField label="Markdown" value={links.markdown} />
                  <CopyField label="shields.io JSON" value={links.json} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      {items.length === 0 && !error && <p class="empty">No badges yet.</p>}
    </section>
  );
}
