// events <name> [--limit N] [--follow] [--json]: the agent's history, oldest first; --follow keeps
// printing new events as they happen (Realtime, filtered to this agent), until Ctrl-C. A burst of one
// kind is one line in the text output (event-bursts.ts); --json lists every event. --verbose prints under
// an error (or a burst's latest error) the last log lines its worker kept with it.
import type { CommandSpec, Context } from '../command.ts';
import type { Client } from '../client.ts';
import { CliError, UsageError } from '../errors.ts';
import { describeBurst, type AgentEventRow } from '@agent-status/domain';
import { burstsOldestFirst, liveBursts } from '../event-bursts.ts';
import { findAgent } from '../find-agent.ts';
import { localTime } from '../format.ts';
import { subscribeLive } from '../live.ts';
import { safe, type Output, type Style } from '../output.ts';
import { restResult } from '../remote.ts';
import { formatLogLine } from './logs.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

export interface EventJson {
  id: number;
  time: string;
  kind: AgentEventRow['kind'];
  message: string | null;
  from_status: AgentEventRow['from_status'];
  to_status: AgentEventRow['to_status'];
  health: number | null;
  generation: number | null;
  command: AgentEventRow['command'];
  actor_email: string | null;
  /** An error's last log lines, kept by an SDK worker (null for other events and plain reports). */
  log_lines: AgentEventRow['log_lines'];
}

export const eventJson = (e: AgentEventRow): EventJson => ({
  id: e.id,
  time: e.created_at,
  kind: e.kind,
  message: e.message,
  from_status: e.from_status,
  to_status: e.to_status,
  health: e.health,
  generation: e.generation,
  command: e.command,
  actor_email: e.actor_email,
  log_lines: e.log_lines ?? null,
});

const KIND_STYLE: Partial<Record<AgentEventRow['kind'], Style[]>> = {
  error: ['red'],
  offline: ['red', 'bold'],
  warning: ['yellow'],
  online: ['green'],
  command: ['blue'],
};

/** What happened, in a few words. */
export function describeEvent(e: AgentEventRow): string {
  const health = e.health === null ? '' : ` (health ${e.health})`;
  switch (e.kind) {
    case 'command':
      return `${e.command} by ${e.actor_email ?? 'someone'} → generation ${e.generation}${e.message ? ` (${e.message})` : ''}`;
    case 'status':
      return `${e.from_status} → ${e.to_status}${health}`;
    case 'acknowledged':
      return `carried out generation ${e.generation}`;
    case 'health':
      return `health ${e.health}`;
    case 'online':
      return 'back online';
    case 'created':
    case 'updated':
    case 'token_issued':
    case 'token_revoked':
      return `${e.message ?? e.kind}${e.actor_email ? ` by ${e.actor_email}` : ''}`;
    default:
      return `${e.message ?? ''}${health}`;
  }
}

function printLine(out: Output, e: AgentEventRow, text: string) {
  out.line(
    `${out.style(localTime(e.created_at), 'dim')}  ${out.style(safe(String(e.kind)).padEnd(12), ...(KIND_STYLE[e.kind] ?? []))}  ${text}`,
  );
}

/** Under an error, with --verbose: the last log lines its worker kept with it. */
function printLogLines(out: Output, e: AgentEventRow, verbose: boolean) {
  if (!verbose || !e.log_lines?.length) return;
  out.line(`    ${out.style(`last ${e.log_lines.length} log line(s) before it:`, 'dim')}`);
  for (const line of e.log_lines) out.line(`    ${formatLogLine(out, line)}`);
}

function printEvent(out: Output, e: AgentEventRow, verbose: boolean) {
  printLine(out, e, safe(describeEvent(e)));
  printLogLines(out, e, verbose);
}

/** "5 errors since 2026-12-06 12:00:01; the latest: disk full", on the line of the burst's newest event. */
function printBurst(out: Output, events: AgentEventRow[], verbose: boolean) {
  const [oldest, newest] = [events[0], events[events.length - 1]];
  const since = out.style(`since ${localTime(oldest.created_at)}`, 'dim');
  printLine(
    out,
    newest,
    `${safe(describeBurst(newest.kind, events.length))} ${since}; the latest: ${safe(describeEvent(newest))}`,
  );
  printLogLines(out, newest, verbose);
}

/** A history, oldest first, a burst as one line. */
function printHistory(out: Output, rows: AgentEventRow[], verbose: boolean) {
  for (const item of burstsOldestFirst(rows)) {
    if (item.type === 'event') printEvent(out, item.event, verbose);
    else printBurst(out, item.events, verbose);
  }
}

async function latest(client: Client, agentId: string, limit: number, afterId?: number): Promise<AgentEventRow[]> {
  let query = client.from('agent_events').select('*').eq('agent_id', agentId);
  if (afterId !== undefined) query = query.gt('id', afterId);
  const rows = restResult(await query.order('id', { ascending: false }).limit(limit), 'reading events');
  return rows.reverse();
}

export const events: CommandSpec = {
  name: 'events',
  summary: "an agent's history (commands, transitions, errors), oldest first",
  usage: 'events <name> [--limit <n>] [--follow] [--verbose] [--json]',
  details: [
    `--limit <n>   how many of the latest events (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`,
    '--follow, -f  keep printing new events as they happen; Ctrl-C ends it',
    '--verbose, -v under an error, the last log lines its worker logged before it (--json always has them)',
    '--json        {"agent", "events": [...]}; with --follow one event per line',
  ],
  options: {
    limit: { type: 'string', short: 'n' },
    follow: { type: 'boolean', short: 'f' },
    verbose: { type: 'boolean', short: 'v' },
  },
  positionals: ['name'],
  async run(ctx, { values, positionals }) {
    const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got "${values.limit}"`, 'events');
    }
    await ctx.session();
    const client = ctx.client();
    const agent = await findAgent(client, positionals[0]);
    if (!agent) throw new CliError(`there is no agent named "${safe(positionals[0])}"`, 'agent_not_found', 404);
    const verbose = values.verbose === true;
    if (values.follow) return follow(ctx, client, agent, limit, verbose);
    const rows = await latest(client, agent.id, limit);
    if (ctx.json) return ctx.out.json({ agent: agent.name, events: rows.map(eventJson) });
    if (rows.length === 0) return ctx.out.line(`No events for ${safe(agent.name)}.`);
    printHistory(ctx.out, rows, verbose);
  },
};

async function follow(
  ctx: Context,
  client: Client,
  agent: { id: string; name: string },
  limit: number,
  verbose: boolean,
) {
  await client.auth.startAutoRefresh();
  let lastId = 0;
  const bursts = liveBursts<AgentEventRow>({
    event: (row) => printEvent(ctx.out, row, verbose),
    rest: (held, total) => {
      const last = held[held.length - 1];
      printLine(
        ctx.out,
        last,
        `… and ${held.length} more (${safe(describeBurst(last.kind, total))}); the latest: ${safe(describeEvent(last))}`,
      );
      printLogLines(ctx.out, last, verbose);
    },
  });
  const show = (row: AgentEventRow) => {
    if (row.id <= lastId) return; // already shown (a read and a live event can overlap)
    lastId = row.id;
    if (ctx.json) ctx.out.json(eventJson(row));
    else bursts.push(row);
  };
  // Live events that arrive before the backlog is printed wait, so the output stays in order.
  const early: AgentEventRow[] = [];
  let backlogShown = false;
  const unsubscribe = subscribeLive(
    client,
    {
      onEvent: (row) => (backlogShown ? show(row) : early.push(row)),
      onDesiredState: () => undefined,
      onMode: (mode) =>
        !ctx.json && mode === 'polling' && ctx.out.note('(Realtime unavailable: polling for new events)'),
      resync: async () => {
        if (!backlogShown) return;
        for (const row of await latest(client, agent.id, MAX_LIMIT, lastId)) show(row);
      },
    },
    { agentId: agent.id },
  );
  try {
    const backlog = await latest(client, agent.id, limit);
    if (ctx.json) for (const row of backlog) show(row);
    else printHistory(ctx.out, backlog, verbose);
    lastId = backlog.at(-1)?.id ?? 0;
    backlogShown = true;
    for (const row of early.sort((a, b) => a.id - b.id)) show(row);
    if (!ctx.json) ctx.out.note(`Following ${safe(agent.name)} (Ctrl-C to stop)…`);
    await ctx.interrupted;
  } finally {
    bursts.flush();
    await unsubscribe();
    await client.auth.stopAutoRefresh();
  }
}
