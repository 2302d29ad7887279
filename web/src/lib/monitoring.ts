// Metrics tokens and badge keys for the monitoring page: listed through REST (RLS shows them to
// operators only; never a token's hash), issued and revoked through the RPCs. Every failure becomes
// one message to show.
import type { Database } from '@agent-status/domain';
import type { DashboardClient } from './supabase.ts';

type Tables = Database['public']['Tables'];
export type MetricsToken = Omit<Tables['metrics_tokens']['Row'], 'token_hash'>;
export type BadgeKey = Tables['badge_keys']['Row'];
export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (error: { message?: string } | null, what: string): { ok: false; message: string } => ({
  ok: false,
  message: `${what} failed: ${error?.message || 'the server did not answer'}`,
});

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
  const { data, error } = await client
    .from('metrics_tokens')
    .select('id, label, created_by_email, created_at, last_used_at, revoked_at')
    .order('created_at', { ascending: false });
  return error ? fail(error, 'Loading metrics tokens') : { ok: true, value: data ?? [] };
}

export async function issueMetricsToken(client: DashboardClient, label: string): Promise<Result<string>> {
  const { data, error } = await client.rpc('issue_metrics_token', label ? { p_label: label } : {});
  return error || !data?.[0] ? fail(error, 'Issuing a metrics token') : { ok: true, value: data[0].token };
}

export async function revokeMetricsToken(client: DashboardClient, id: string): Promise<Result<boolean>> {
  const { data, error } = await client.rpc('revoke_metrics_token', { p_token_id: id });
  return error ? fail(error, 'Revoking the metrics token') : { ok: true, value: Boolean(data) };
}

export async function listBadgeKeys(client: DashboardClient): Promise<Result<BadgeKey[]>> {
  const { data, error } = await client.from('badge_keys').select('*').order('created_at', { ascending: false });
  return error ? fail(error, 'Loading badge keys') : { ok: true, value: data ?? [] };
}

export async function issueBadgeKey(
  client: DashboardClient,
  agentName: string | null,
  label: string,
): Promise<Result<string>> {
  const args: { p_agent_name?: string; p_label?: string } = {};
  if (agentName !== null) args.p_agent_name = agentName;
  if (label) args.p_label = label;
  const { data, error } = await client.rpc('issue_badge_key', args);
  return error || !data?.[0] ? fail(error, 'Issuing a badge key') : { ok: true, value: data[0].key };
}

export async function revokeBadgeKey(client: DashboardClient, id: string): Promise<Result<boolean>> {
  const { data, error } = await client.rpc('revoke_badge_key', { p_key_id: id });
  return error ? fail(error, 'Revoking the badge key') : { ok: true, value: Boolean(data) };
}
