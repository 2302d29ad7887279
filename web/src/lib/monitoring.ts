// Metrics tokens and badge keys for the monitoring page: listed through REST (RLS shows them to
// operators only; never a token's hash), issued and revoked through the RPCs. Every failure becomes
// one message to show.
import { restResult, type Result } from '@agent-status/client';
import type { Database } from '@agent-status/domain';
import type { DashboardClient } from './supabase.ts';

type Tables = Database['public']['Tables'];
export type MetricsToken = Omit<Tables['metrics_tokens']['Row'], 'token_hash'>;
export type BadgeKey = Tables['badge_keys']['Row'];

/** The call's result, a failure worded "<what> failed: <why>"; an empty answer where one was due is a failure too. */
function described<T, U>(result: Result<T>, what: string, value: (answer: T) => U | undefined): Result<U> {
  const got = result.ok ? value(result.value) : undefined;
  if (got !== undefined) return { ok: true, value: got };
  const failure = result.ok ? { code: 'empty', message: '', status: 200 } : result.error;
  return {
    ok: false,
    error: { ...failure, message: `${what} failed: ${failure.message || 'the server did not answer'}` },
  };
}

export function metricsUrl(projectUrl: string): string {
  return `${projectUrl.replace(/\/+$/, '')}/functions/v1/metrics`;
}

/** The badge's SVG and shields.io JSON URLs, and Markdown that shows it. */
export function badgeLinks(projectUrl: string, key: string, agentName: string | null) {
  const base = `${metricsUrl(projectUrl)}/badge/${key}`;
  const alt = `${agentName ?? 'agents'} status`.replace(/[[\]\\]/g, '\\$&').replace(/[\r\n]+/g, ' ');
  return { svg: `${base}.svg`, json: `${base}.json`, markdown: `![${alt}](${base}.svg)` };
}

export async function listMetricsTokens(client: DashboardClient): Promise<Result<MetricsToken[]>> {
  const read = await client
    .from('metrics_tokens')
    .select('id, label, created_by_email, created_at, last_used_at, revoked_at')
    .order('created_at', { ascending: false });
  return described(restResult(read), 'Loading metrics tokens', (rows) => rows);
}

export async function issueMetricsToken(client: DashboardClient, label: string): Promise<Result<string>> {
  const issued = await client.rpc('issue_metrics_token', label ? { p_label: label } : {});
  return described(restResult(issued), 'Issuing a metrics token', (rows) => rows[0]?.token);
}

export async function revokeMetricsToken(client: DashboardClient, id: string): Promise<Result<boolean>> {
  const revoked = await client.rpc('revoke_metrics_token', { p_token_id: id });
  return described(restResult(revoked), 'Revoking the metrics token', Boolean);
}

export async function listBadgeKeys(client: DashboardClient): Promise<Result<BadgeKey[]>> {
  const read = await client.from('badge_keys').select('*').order('created_at', { ascending: false });
  return described(restResult(read), 'Loading badge keys', (rows) => rows);
}

export async function issueBadgeKey(
  client: DashboardClient,
  agentName: string | null,
  label: string,
): Promise<Result<string>> {
  const args: { p_agent_name?: string; p_label?: string } = {};
  if (agentName !== null) args.p_agent_name = agentName;
  if (label) args.p_label = label;
  const issued = await client.rpc('issue_badge_key', args);
  return described(restResult(issued), 'Issuing a badge key', (rows) => rows[0]?.key);
}

export async function revokeBadgeKey(client: DashboardClient, id: string): Promise<Result<boolean>> {
  const revoked = await client.rpc('revoke_badge_key', { p_key_id: id });
  return described(restResult(revoked), 'Revoking the badge key', Boolean);
}
