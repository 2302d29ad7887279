import { useCallback, useEffect, useState } from 'preact/hooks';
import { TOKEN_LABEL_MAX_LENGTH } from '@agent-status/domain';
import type { IssuedAgentToken as Issued } from '@agent-status/domain';
import { issueToken, listTokens, revokeToken, type TokenInfo } from '../../lib/registry.ts';
import type { DashboardClient } from '../../lib/supabase.ts';
import { formatTimestamp } from '../../lib/time.ts';
import { IssuedToken } from './IssuedToken.tsx';

type Props = {
  client: DashboardClient;
  agent: { id: string; agent_name: string; heartbeat_interval_seconds: number };
  canManage: boolean;
  /** For the snippets: the project's URL and publishable key, as the dashboard itself uses them. */
  projectUrl: string;
  publishableKey: string;
};

/**
 * #/agents/<name>/tokens: the agent's tokens (label, created, by whom, last used, revoked), issue one —
 * shown once, with snippets for the worker — and revoke. Self-contained: an agent and a client.
 */
export function AgentTokens({ client, agent, canManage, projectUrl, publishableKey }: Props) {
  const [tokens, setTokens] = useState<TokenInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await listTokens(client, agent.id);
    if (result.ok) setTokens(result.value);
    else setError(result.error.message);
  }, [client, agent.id]);
  useEffect(() => {
    setTokens(null);
    setIssued(null);
    if (canManage) void load();
  }, [load, canManage]);

  if (!canManage) return <p class="muted">Only operators can see and issue an agent's tokens.</p>;

  const issue = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await issueToken(client, agent.agent_name, label);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    setIssued(result.value);
    setLabel('');
    void load();
  };

  const revoke = async (token: TokenInfo) => {
    setError(null);
    const result = await revokeToken(client, token.id);
    if (!result.ok) return setError(result.error.message);
    void load();
  };

  return (
    <section class="agent-tokens" aria-label={`Tokens of ${agent.agent_name}`}>
      {issued ? (
        <IssuedToken
          issued={issued}
          projectUrl={projectUrl}
          publishableKey={publishableKey}
          heartbeatIntervalSeconds={agent.heartbeat_interval_seconds}
          onDone={() => setIssued(null)}
        />
      ) : (
        <form class="agent-form issue-token" aria-label="Issue a token" onSubmit={(e) => void issue(e)}>
          <p class="muted">
            A worker reports with its agent's token. Issue one per machine or deployment, so each can be revoked alone.
          </p>
          <label>
            Label (optional)
            <input
              value={label}
              maxLength={TOKEN_LABEL_MAX_LENGTH}
              placeholder="e.g. production host"
              onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <div class="form-actions">
            <button type="submit" disabled={busy}>
              Issue token
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
      <h3>Tokens</h3>
      {tokens === null ? (
        <p class="muted">Loading tokens…</p>
      ) : tokens.length === 0 ? (
        <p class="muted">No tokens yet.</p>
      ) : (
        <ul class="token-list">
          {tokens.map((token) => (
            <TokenRow key={token.id} token={token} onRevoke={() => void revoke(token)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TokenRow({ token, onRevoke }: { token: TokenInfo; onRevoke: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const name = token.label ?? 'unlabelled token';
  return (
    <li class={`token${token.revoked_at ? ' token-revoked' : ''}`} data-token-row={token.id}>
      <div class="token-head">
        <strong>{name}</strong>
        <span class={token.revoked_at ? 'muted' : 'token-active'}>
          {token.revoked_at ? `revoked ${formatTimestamp(token.revoked_at)}` : 'active'}
        </span>
      </div>
      <dl class="token-facts">
        <dt>Created</dt>
        <dd>
          {formatTimestamp(token.created_at)}
          {token.created_by_email ? ` by ${token.created_by_email}` : ''}
        </dd>
        <dt>Last used</dt>
        <dd>{token.last_used_at ? formatTimestamp(token.last_used_at) : 'never'}</dd>
      </dl>
      {!token.revoked_at &&
        (confirming ? (
          <span class="confirm" role="group" aria-label={`Confirm revoking ${name}`}>
            <span>Its worker is refused at once.</span>
            <button type="button" class="danger" onClick={onRevoke}>
              Yes, revoke
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} aria-label={`Revoke ${name}`}>
            Revoke
          </button>
        ))}
    </li>
  );
}
