// The agent registry from a terminal: agents add|update|delete and tokens issue|list|revoke.
// Every change goes through the `agents` Edge Function (operators; the database checks the role and
// records who did it in the agent's history); token metadata — never a token or its hash — is read with
// REST under RLS. A token is shown once, when it is issued.
import * as calls from '@agent-status/client';
import type { AgentSettings, AgentSettingsChange } from '@agent-status/domain';
import type { CommandSpec, Context, Values } from '../command.ts';
import { CliError, requireUuid, UsageError } from '../errors.ts';
import { findAgent } from '../find-agent.ts';
import { localTime } from '../format.ts';
import { safe } from '../output.ts';
import { confirm } from '../prompt.ts';
import { agentsFunctionValue, restResult } from '../remote.ts';

const SETTING_OPTIONS = {
  description: { type: 'string' },
  heartbeat: { type: 'string' },
  'offline-after': { type: 'string' },
} as const;

const SETTING_DETAILS = [
  '--description <text>     what the agent is for ("" removes it)',
  '--heartbeat <seconds>    how often it reports (1–3600; workers that run runAgent report their own)',
  '--offline-after <s>      silence this long marks it offline (1–86400; "default" = 3 heartbeats)',
];

function wholeSeconds(value: string, option: string, command: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`--${option} must be a whole number of seconds, got "${value}"`, command);
  return Number(value.trim());
}

/** The settings the flags name, as the function takes them; a flag left out changes nothing. */
function settingsFrom(values: Values, command: string): AgentSettingsChange {
  const settings: AgentSettingsChange = {};
  if (values.description !== undefined)
    settings.description = String(values.description) === '' ? null : String(values.description);
  if (values.heartbeat !== undefined)
    settings.heartbeat_interval_seconds = wholeSeconds(String(values.heartbeat), 'heartbeat', command);
  if (values['offline-after'] !== undefined) {
    const raw = String(values['offline-after']);
    settings.offline_after_seconds = raw === 'default' ? null : wholeSeconds(raw, 'offline-after', command);
  }
  return settings;
}

function printSettings(ctx: Context, agent: AgentSettings) {
  const grace =
    agent.offline_after_seconds === null
      ? `${agent.effective_offline_after_seconds} s (3 heartbeats)`
      : `${agent.offline_after_seconds} s`;
  ctx.out.line(`  description     ${agent.description === null ? '—' : safe(agent.description)}`);
  ctx.out.line(`  heartbeat       every ${agent.heartbeat_interval_seconds} s`);
  ctx.out.line(`  offline after   ${grace}`);
}

export const addAgent: CommandSpec = {
  name: 'agents add',
  summary: 'add an agent (stopped, until its worker runs and someone starts it)',
  usage: 'agents add <name> [--description <text>] [--heartbeat <seconds>] [--offline-after <seconds>] [--json]',
  details: [...SETTING_DETAILS, '--json prints {"agent_name","id","desired_state","generation"}.'],
  options: SETTING_OPTIONS,
  positionals: ['name'],
  async run(ctx, { values, positionals: [name] }) {
    const settings = settingsFrom(values, 'agents add');
    if (settings.description === null) delete settings.description;
    await ctx.session();
    const created = agentsFunctionValue(await calls.createAgent(ctx.client(), name, settings));
    if (ctx.json) return ctx.out.json(created);
    ctx.out.line(`Added agent ${safe(created.agent_name)} (desired ${safe(String(created.desired_state))}).`);
    ctx.out.line(`Next: give its worker a token — agent-status tokens issue ${JSON.stringify(created.agent_name)}`);
  },
};

export const updateAgent: CommandSpec = {
  name: 'agents update',
  summary: 'rename an agent or change its settings (its history and tokens follow a rename)',
  usage:
    'agents update <name> [--name <new name>] [--description <text>] [--heartbeat <seconds>] [--offline-after <seconds>] [--json]',
  details: ['--name <new name>        rename it', ...SETTING_DETAILS, "--json prints the agent's settings."],
  options: { ...SETTING_OPTIONS, name: { type: 'string' } },
  positionals: ['name'],
  async run(ctx, { values, positionals: [name] }) {
    const changes: AgentSettingsChange & { new_name?: string } = settingsFrom(values, 'agents update');
    if (values.name !== undefined) changes.new_name = String(values.name);
    if (Object.keys(changes).length === 0)
      throw new UsageError(
        'nothing to change: give --name, --description, --heartbeat or --offline-after',
        'agents update',
      );
    await ctx.session();
    const agent = agentsFunctionValue(await calls.updateAgent(ctx.client(), name, changes));
    if (ctx.json) return ctx.out.json(agent);
    ctx.out.line(
      agent.agent_name === name
        ? `Updated ${safe(agent.agent_name)}:`
        : `Renamed ${safe(name)} to ${safe(agent.agent_name)}:`,
    );
    printSettings(ctx, agent);
  },
};

export const deleteAgent: CommandSpec = {
  name: 'agents delete',
  summary: 'delete an agent with its history and tokens (asks for its name on a terminal unless --yes)',
  usage: 'agents delete <name> [--yes] [--json]',
  details: ['--yes           do not ask; its worker is refused from then on, and this cannot be undone'],
  options: { yes: { type: 'boolean', short: 'y' } },
  positionals: ['name'],
  async run(ctx, { values, positionals: [name] }) {
    await ctx.session();
    if (
      !values.yes &&
      ctx.isInteractive &&
      !(await confirm(`Delete ${safe(name)} with its history and tokens? This cannot be undone.`))
    ) {
      throw new CliError('cancelled', 'cancelled');
    }
    const deleted = agentsFunctionValue(await calls.deleteAgent(ctx.client(), name));
    if (ctx.json) return ctx.out.json(deleted);
    ctx.out.line(`Deleted ${safe(deleted.agent_name)}.`);
  },
};

export const issueToken: CommandSpec = {
  name: 'tokens issue',
  summary: "issue a token for an agent's worker (shown once)",
  usage: 'tokens issue <agent name> [--label <text>] [--json]',
  details: [
    'Prints the token and the environment its worker needs; only its hash is stored.',
    '--json prints {"token_id","agent_name","token"}.',
  ],
  options: { label: { type: 'string' } },
  positionals: ['agent name'],
  async run(ctx, { values, positionals: [name] }) {
    await ctx.session();
    const label = values.label === undefined ? undefined : String(values.label);
    const issued = agentsFunctionValue(await calls.issueAgentToken(ctx.client(), name, label));
    if (ctx.json) return ctx.out.json(issued);
    const project = ctx.project();
    ctx.out.line(
      `Token ${safe(String(issued.token_id))} for ${safe(issued.agent_name)} — shown this once, store it now:`,
    );
    ctx.out.line('');
    ctx.out.line(`  ${safe(String(issued.token))}`);
    ctx.out.line('');
    ctx.out.line('Its worker needs (docs/agent-sdk.md, docs/python.md):');
    ctx.out.line(`  SUPABASE_URL=${project.url}`);
    ctx.out.line(`  SUPABASE_PUBLISHABLE_KEY=${project.apiKey}`);
    ctx.out.line(`  AGENT_TOKEN=${safe(String(issued.token))}`);
  },
};

export const listTokens: CommandSpec = {
  name: 'tokens list',
  summary: "list an agent's tokens (never the tokens themselves)",
  usage: 'tokens list <agent name> [--json]',
  details: [
    '--json prints {"agent","tokens":[{"id","label","created_at","created_by_email","last_used_at","revoked_at"}]}.',
  ],
  positionals: ['agent name'],
  async run(ctx, { positionals: [name] }) {
    await ctx.session();
    const client = ctx.client();
    const agent = await findAgent(client, name);
    if (!agent) throw new CliError(`there is no agent named "${name}"`, 'agent_not_found', 404);
    const tokens = restResult(
      await client
        .from('agent_tokens')
        .select('id, label, created_at, created_by_email, last_used_at, revoked_at')
        .eq('agent_id', agent.id)
        .order('created_at'),
      'listing tokens',
    );
    if (ctx.json) return ctx.out.json({ agent: agent.name, tokens });
    if (tokens.length === 0)
      return ctx.out.line(
        `${safe(agent.name)} has no tokens. Issue one with \`agent-status tokens issue ${JSON.stringify(agent.name)}\`.`,
      );
    const rows = tokens.map((t) => [
      safe(t.id),
      safe(t.label ?? ''),
      localTime(t.created_at),
      safe(t.created_by_email ?? ''),
      t.last_used_at ? localTime(t.last_used_at) : 'never',
      t.revoked_at ? ctx.out.style('revoked', 'gray') : ctx.out.style('active', 'green'),
    ]);
    ctx.out.line(ctx.out.table(['ID', 'LABEL', 'CREATED', 'BY', 'LAST USED', 'STATUS'], rows).join('\n'));
  },
};

export const revokeToken: CommandSpec = {
  name: 'tokens revoke',
  summary: "revoke an agent's token: its worker is refused at once",
  usage: 'tokens revoke <id> [--json]',
  positionals: ['id'],
  async run(ctx, { positionals: [id] }) {
    requireUuid(id, 'tokens revoke');
    await ctx.session();
    agentsFunctionValue(await calls.revokeAgentToken(ctx.client(), id));
    if (ctx.json) return ctx.out.json({ id, revoked: true });
    ctx.out.line(`Revoked token ${id}.`);
  },
};

export const registryCommands: CommandSpec[] = [
  addAgent,
  updateAgent,
  deleteAgent,
  issueToken,
  listTokens,
  revokeToken,
];
