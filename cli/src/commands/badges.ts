// badges issue|list|revoke: keys for public status badges (SVG, or shields.io's endpoint JSON) of one
// agent or of all agents. A badge reveals only up / down; its key can be revoked (the URL then 404s).
import type { CommandSpec, Context } from '../command.ts';
import { safe } from '../output.ts';
import { restResult } from '../remote.ts';
import { revokeCommand } from './revoke.ts';

export interface BadgeJson {
  id: string;
  agent: string | null;
  label: string | null;
  key: string;
  svg_url: string;
  json_url: string;
  markdown: string;
  created_at?: string;
  revoked_at?: string | null;
}

export function badgeLinks(projectUrl: string, key: string, agent: string | null) {
  const base = `${projectUrl}/functions/v1/metrics/badge/${key}`;
  const alt = `${agent ?? 'agents'} status`.replace(/[[\]\\]/g, '\\$&').replace(/[\r\n]+/g, ' ');
  return { svg_url: `${base}.svg`, json_url: `${base}.json`, markdown: `![${alt}](${base}.svg)` };
}

export const issueBadge: CommandSpec = {
  name: 'badges issue',
  summary: 'issue a badge key for one agent, or for all agents without a name',
  usage: 'badges issue [<agent name>] [--label <text>] [--json]',
  details: ['Prints the badge URLs (SVG, shields.io JSON) and Markdown to paste into a README.'],
  options: { label: { type: 'string' } },
  positionals: ['agent name?'],
  async run(ctx, { values, positionals }) {
    await ctx.session();
    const args: { p_agent_name?: string; p_label?: string } = {};
    if (positionals[0] !== undefined) args.p_agent_name = positionals[0];
    if (values.label !== undefined) args.p_label = String(values.label);
    const [issued] = restResult(await ctx.client().rpc('issue_badge_key', args), 'issuing a badge key');
    const badge: BadgeJson = {
      id: issued.key_id,
      agent: issued.agent_name,
      label: issued.label,
      key: issued.key,
      ...badgeLinks(ctx.project().url, issued.key, issued.agent_name),
    };
    if (ctx.json) return ctx.out.json(badge);
    printBadge(ctx, badge);
  },
};

function printBadge(ctx: Context, badge: BadgeJson) {
  ctx.out.line(
    `Badge ${badge.id} for ${badge.agent === null ? 'all agents' : safe(badge.agent)}${badge.label ? ` (${safe(badge.label)})` : ''}`,
  );
  ctx.out.line(`  SVG:      ${badge.svg_url}`);
  ctx.out.line(`  JSON:     ${badge.json_url}  (shields.io endpoint format)`);
  ctx.out.line(`  Markdown: ${safe(badge.markdown)}`);
}

export const listBadges: CommandSpec = {
  name: 'badges list',
  summary: 'list badge keys with their URLs',
  usage: 'badges list [--json]',
  async run(ctx) {
    await ctx.session();
    const client = ctx.client();
    const keys = restResult(
      await client.from('badge_keys').select('id, key, agent_id, label, created_at, revoked_at').order('created_at'),
      'listing badge keys',
    );
    const ids = [...new Set(keys.map((k) => k.agent_id).filter((id): id is string => id !== null))];
    const names = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 100) {
      const rows = restResult(
        await client
          .from('agent_status')
          .select('id, agent_name')
          .in('id', ids.slice(i, i + 100)),
        'reading agent names',
      );
      for (const row of rows) names.set(row.id, row.agent_name);
    }
    const badges: BadgeJson[] = keys.map((k) => {
      const agent = k.agent_id === null ? null : (names.get(k.agent_id) ?? null);
      return {
        id: k.id,
        agent,
        label: k.label,
        key: k.key,
        ...badgeLinks(ctx.project().url, k.key, agent),
        created_at: k.created_at,
        revoked_at: k.revoked_at,
      };
    });
    if (ctx.json) return ctx.out.json({ badges });
    if (badges.length === 0)
      return ctx.out.line('No badge keys. Issue one with `agent-status badges issue [<agent name>]`.');
    const rows = badges.map((b) => [
      b.id,
      b.agent === null ? '(all agents)' : safe(b.agent),
      safe(b.label ?? ''),
      b.revoked_at ? ctx.out.style('revoked', 'gray') : ctx.out.style('active', 'green'),
      b.revoked_at ? '—' : b.svg_url,
    ]);
    ctx.out.line(ctx.out.table(['ID', 'AGENT', 'LABEL', 'STATUS', 'SVG'], rows).join('\n'));
  },
};

export const revokeBadge = revokeCommand({
  name: 'badges revoke',
  summary: 'revoke a badge key: its URLs answer 404 from then on',
  what: 'badge key',
  revoke: (client, id) => client.rpc('revoke_badge_key', { p_key_id: id }),
});
