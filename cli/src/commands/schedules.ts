// schedules list|add|remove: when agents should run (docs/schedules.md). A schedule is a row of
// agent_schedules, written through REST under the caller's session (RLS: operators write, viewers read);
// what it does now and next is the database's answer (agent_schedule_overview), never computed here.
import {
  changeVerb,
  describeSchedule,
  nextScheduledChange,
  parseWindow,
  SCHEDULE_NAME_PATTERN,
  type ScheduleInsert,
  type ScheduleOverviewRow,
  scheduleCovers,
  scheduleNote,
  scheduleTarget,
  whenText,
} from '@agent-status/domain';
import type { CommandSpec, Context } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { findAgent } from '../find-agent.ts';
import { safe } from '../output.ts';
import { restResult } from '../remote.ts';

const LIST = 'schedules list';
const ADD = 'schedules add';
const REMOVE = 'schedules remove';

async function readSchedules(ctx: Context): Promise<ScheduleOverviewRow[]> {
  return restResult(
    await ctx.client().from('agent_schedule_overview').select('*').order('name'),
    'reading the schedules',
  );
}

/** "stops 20:00 today", "—" when it never changes. */
function nextText(s: ScheduleOverviewRow): string {
  if (!s.enabled) return 'disabled';
  return s.next_change_at && s.next_state ? `${changeVerb(s.next_state)} ${whenText(s.next_change_at)}` : '—';
}

export const listSchedules: CommandSpec = {
  name: LIST,
  summary: "list schedules, what each says now and its next change; with <name>, an agent's schedules",
  usage: 'schedules list [<name>] [--tag <tag>] [--json]',
  details: [
    "With an agent name: the schedules that cover it (its own and its tags') and its next scheduled change.",
    'Times are in your local time zone; each schedule reads its window in its own zone (ZONE).',
    '--json prints {"schedules": [agent_schedule_overview rows]}, and with a name also',
    '{"agent": {"name", "desired_state", "requested_by", "next_change": {"at", "state", "schedule"} | null}}.',
  ],
  options: { tag: { type: 'string' } },
  positionals: ['name?'],
  async run(ctx, { values, positionals }) {
    await ctx.session();
    const [agentName] = positionals;
    const tag = values.tag === undefined ? undefined : String(values.tag).trim().toLowerCase();
    let schedules = await readSchedules(ctx);
    let agentJson: Record<string, unknown> | undefined;
    let agentLine: string | undefined;
    if (agentName !== undefined) {
      const rows = restResult(
        await ctx
          .client()
          .from('agent_overview')
          .select('id, agent_name, tags, desired_state, requested_by_email')
          .eq('agent_name', agentName)
          .limit(1),
        'looking up the agent',
      );
      const agent = rows[0];
      if (!agent?.id) throw new CliError(`unknown agent "${agentName}"`, 'not_found', 404);
      const covered = { id: agent.id, tags: agent.tags ?? [], desired_state: agent.desired_state };
      schedules = schedules.filter((s) => scheduleCovers(s, covered));
      const change = nextScheduledChange(covered, schedules);
      agentJson = {
        name: agent.agent_name,
        desired_state: agent.desired_state,
        requested_by: agent.requested_by_email,
        next_change: change,
      };
      const note = change && scheduleNote(agent, change);
      agentLine =
        !change || !note
          ? `${safe(agentName)}: no scheduled change.`
          : note.override
            ? `${safe(agentName)}: ${safe(note.text)} (then ${safe(change.schedule)} ${changeVerb(change.state)} it).`
            : `${safe(agentName)}: ${agent.desired_state}; next: ${note.text} (${safe(change.schedule)}).`;
    }
    if (tag !== undefined) schedules = schedules.filter((s) => s.tag === tag);
    if (ctx.json) return ctx.out.json(agentJson ? { agent: agentJson, schedules } : { schedules });
    if (agentLine) ctx.out.line(agentLine);
    if (schedules.length === 0)
      return ctx.out.line('No schedules. Add one with `agent-status schedules add <name> --agent … --window …`.');
    const rows = schedules.map((s) => [
      safe(s.name),
      safe(scheduleTarget(s)) + (s.tag !== null ? ` (${s.agent_count ?? 0})` : ''),
      safe(describeSchedule(s).replace(/ \([^)]*\)$/, '')),
      safe(s.time_zone),
      s.enabled ? (s.state_now ?? '—') : ctx.out.style('—', 'gray'),
      s.enabled ? nextText(s) : ctx.out.style('disabled', 'gray'),
    ]);
    ctx.out.line(ctx.out.table(['NAME', 'COVERS', 'WINDOW', 'ZONE', 'NOW', 'NEXT'], rows).join('\n'));
  },
};

/** The machine's own IANA zone, the default for --zone; UTC when it has none. */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export const addSchedule: CommandSpec = {
  name: ADD,
  summary: 'add a schedule to an agent or a tag: the desired state inside a window (operators)',
  usage:
    'schedules add <name> (--agent <name> | --tag <tag>) (--window "<days> <HH:MM>-<HH:MM>" | --cron-open <expr> --cron-close <expr>) [--zone <zone>] [--state running|stopped] [--disabled] [--json]',
  details: [
    '--window "Mon-Fri 08:00-20:00": days (Mon-Fri, Mon,Wed,Fri, daily, weekdays, weekends) and a time range;',
    '  an end at or before the start is on the next day (22:00-06:00), 24:00 is the end of the day.',
    '--cron-open / --cron-close: five-field cron expressions; the window opens at a match of the first',
    '  and closes at the next match of the second.',
    `--zone: an IANA time zone such as Europe/Berlin (default: this machine's, here ${localZone()}).`,
    '--state: the desired state inside the window (default running); outside it is the other one.',
    'A new schedule acts from its next boundary, not at once (docs/schedules.md).',
    '--json prints the new schedule as agent_schedule_overview shows it.',
  ],
  options: {
    agent: { type: 'string' },
    tag: { type: 'string' },
    window: { type: 'string' },
    'cron-open': { type: 'string' },
    'cron-close': { type: 'string' },
    zone: { type: 'string' },
    state: { type: 'string' },
    disabled: { type: 'boolean' },
  },
  positionals: ['name'],
  async run(ctx, { values, positionals }) {
    const [name] = positionals;
    const given = (key: string) => (values[key] === undefined ? undefined : String(values[key]));
    if (!SCHEDULE_NAME_PATTERN.test(name))
      throw new UsageError(
        `"${name}" is not a schedule name: 1 to 60 lower-case letters, digits, "-" or "_" (it becomes the actor schedule:<name>)`,
        ADD,
      );
    const [agentName, tag] = [given('agent'), given('tag')];
    if ((agentName === undefined) === (tag === undefined))
      throw new UsageError('give --agent <name> or --tag <tag>', ADD);
    const [window, cronOpen, cronClose] = [given('window'), given('cron-open'), given('cron-close')];
    if (window !== undefined && (cronOpen !== undefined || cronClose !== undefined))
      throw new UsageError('give --window or --cron-open and --cron-close, not both', ADD);
    if (window === undefined && (cronOpen === undefined || cronClose === undefined))
      throw new UsageError('give --window "<days> <HH:MM>-<HH:MM>", or both --cron-open and --cron-close', ADD);
    const state = given('state') ?? 'running';
    if (state !== 'running' && state !== 'stopped')
      throw new UsageError(`--state must be running or stopped, not "${state}"`, ADD);
    const row: ScheduleInsert = {
      name,
      state,
      time_zone: given('zone') ?? localZone(),
      enabled: !values.disabled,
    };
    if (window !== undefined) {
      const parsed = parseWindow(window);
      if ('error' in parsed) throw new UsageError(`--window: ${parsed.error}`, ADD);
      Object.assign(row, { days: parsed.days, start_time: parsed.start, end_time: parsed.end });
    } else Object.assign(row, { cron_open: cronOpen, cron_close: cronClose });

    await ctx.session();
    if (agentName !== undefined) {
      const agent = await findAgent(ctx.client(), agentName);
      if (!agent) throw new CliError(`unknown agent "${agentName}"`, 'not_found', 404);
      row.agent_id = agent.id;
    } else row.tag = tag;
    restResult(await ctx.client().from('agent_schedules').insert(row), `adding schedule ${name}`);
    const [added] = restResult(
      await ctx.client().from('agent_schedule_overview').select('*').eq('name', name).limit(1),
      'reading the new schedule',
    );
    if (ctx.json) return ctx.out.json(added ?? null);
    ctx.out.line(`Added schedule ${safe(name)}: ${safe(describeSchedule(added))} for ${safe(scheduleTarget(added))}.`);
    ctx.out.line(
      added.enabled && added.next_change_at && added.next_state
        ? `Next: ${changeVerb(added.next_state)} ${whenText(added.next_change_at)} (it acts from its next boundary, not now).`
        : 'It is disabled: it does nothing until it is enabled.',
    );
  },
};

export const removeSchedule: CommandSpec = {
  name: REMOVE,
  summary: 'remove a schedule (operators); the agents keep the desired state they have',
  usage: 'schedules remove <name> [--json]',
  details: ['--json prints {"name", "removed": true}.'],
  positionals: ['name'],
  async run(ctx, { positionals }) {
    const [name] = positionals;
    await ctx.session();
    const removed = restResult(
      await ctx.client().from('agent_schedules').delete().eq('name', name).select('name'),
      `removing schedule ${name}`,
    );
    if (removed.length === 0) {
      // RLS hides nothing from a viewer but lets them delete nothing: say which it is.
      const exists = restResult(
        await ctx.client().from('agent_schedules').select('name').eq('name', name).limit(1),
        'looking up the schedule',
      );
      if (exists.length > 0) throw new CliError(`only operators can remove schedules`, 'forbidden', 403);
      throw new CliError(`no schedule named "${name}"`, 'not_found', 404);
    }
    if (ctx.json) return ctx.out.json({ name, removed: true });
    ctx.out.line(`Removed schedule ${safe(name)}. The agents keep the desired state they have.`);
  },
};

export const scheduleCommands: CommandSpec[] = [listSchedules, addSchedule, removeSchedule];
