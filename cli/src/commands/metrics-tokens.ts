// metrics-tokens issue|list|revoke: the read-only credentials Prometheus scrapes with
// (GET <project>/functions/v1/metrics, Authorization: Bearer <token>). Operators only; a token is
// shown once, when it is issued (only its hash is stored).
import type { CommandSpec } from '../command.ts';
import { localTime } from '../format.ts';
import { safe } from '../output.ts';
import { restResult } from '../remote.ts';
import { revokeCommand } from './revoke.ts';

export const issueMetricsToken: CommandSpec = {
  name: 'metrics-tokens issue',
  summary: 'issue a metrics token for Prometheus (shown once)',
  usage: 'metrics-tokens issue [--label <text>] [--json]',
  details: ['--json prints {"id", "label", "token", "metrics_url"}.'],
  options: { label: { type: 'string' } },
  async run(ctx, { values }) {
    await ctx.session();
    const args = values.label === undefined ? {} : { p_label: String(values.label) };
    const [issued] = restResult(await ctx.client().rpc('issue_metrics_token', args), 'issuing a metrics token');
    const metricsUrl = `${ctx.project().url}/functions/v1/metrics`;
    if (ctx.json)
      return ctx.out.json({ id: issued.token_id, label: issued.label, token: issued.token, metrics_url: metricsUrl });
    ctx.out.line(
      `Metrics token ${safe(String(issued.token_id))}${issued.label ? ` (${safe(issued.label)})` : ''} — shown this once, store it now:`,
    );
    ctx.out.line('');
    ctx.out.line(`  ${safe(String(issued.token))}`);
    ctx.out.line('');
    ctx.out.line(`Scrape ${metricsUrl} with "Authorization: Bearer <token>" (docs/metrics.md has a scrape_config).`);
  },
};

export const listMetricsTokens: CommandSpec = {
  name: 'metrics-tokens list',
  summary: 'list metrics tokens (never the tokens themselves)',
  usage: 'metrics-tokens list [--json]',
  async run(ctx) {
    await ctx.session();
    const tokens = restResult(
      await ctx
        .client()
        .from('metrics_tokens')
        .select('id, label, created_by_email, created_at, last_used_at, revoked_at')
        .order('created_at'),
      'listing metrics tokens',
    );
    if (ctx.json) return ctx.out.json({ tokens });
    if (tokens.length === 0)
      return ctx.out.line('No metrics tokens. Issue one with `agent-status metrics-tokens issue`.');
    const rows = tokens.map((t) => [
      safe(t.id),
      safe(t.label ?? ''),
      localTime(t.created_at),
      t.last_used_at ? localTime(t.last_used_at) : 'never',
      t.revoked_at ? ctx.out.style('revoked', 'gray') : ctx.out.style('active', 'green'),
    ]);
    ctx.out.line(ctx.out.table(['ID', 'LABEL', 'CREATED', 'LAST USED', 'STATUS'], rows).join('\n'));
  },
};

export const revokeMetricsToken = revokeCommand({
  name: 'metrics-tokens revoke',
  summary: 'revoke a metrics token: the next scrape with it gets 401',
  what: 'metrics token',
  revoke: (client, id) => client.rpc('revoke_metrics_token', { p_token_id: id }),
});
