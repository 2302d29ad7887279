// start|stop|restart <name>, start-all, stop-all: through the `agents` Edge Function, as the dashboard
// does (operators only; a viewer gets the function's 403). --wait waits for the acknowledgement.
import { sendCommand, sendCommandToAll } from '@agent-status/client';
import type { CommandSpec, Context, Values } from '../command.ts';
import { waitForAcknowledgements } from '../acknowledgement.ts';
import { CliError, UsageError } from '../errors.ts';
import { elapsed, parseSeconds } from '../format.ts';
import { safe } from '../output.ts';
import { confirm } from '../prompt.ts';
import { agentsFunctionValue } from '../remote.ts';

type Command = 'start' | 'stop' | 'restart';
/** One agent by name, or every agent (start-all, stop-all). */
type Target = { command: Command; agentName: string } | { command: 'start' | 'stop'; agentName?: undefined };

const DEFAULT_TIMEOUT_SECONDS = 30;
const WAIT_OPTIONS = { wait: { type: 'boolean' }, timeout: { type: 'string' } } as const;
const WAIT_DETAILS = [
  '--wait          wait until the agent acknowledges (reports it has carried the command out) and print how long it took',
  `--timeout <s>   give up waiting after this many seconds (default ${DEFAULT_TIMEOUT_SECONDS}; "90", "90s", "2m"); exit 1`,
];

function timeoutMs(values: Values, command: string): number {
  if (values.timeout === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = parseSeconds(String(values.timeout));
  if (seconds === undefined || seconds <= 0)
    throw new UsageError(`--timeout must be a number of seconds, got "${values.timeout}"`, command);
  return seconds * 1000;
}

async function send(ctx: Context, target: Target, values: Values, usageName: string) {
  const { command, agentName } = target;
  const timeout = values.wait ? timeoutMs(values, usageName) : 0;
  await ctx.session();
  const client = ctx.client();
  const startedAt = Date.now();
  const acks = agentsFunctionValue(
    target.agentName !== undefined
      ? await sendCommand(client, target.command, target.agentName)
      : await sendCommandToAll(client, target.command),
  );

  let acknowledged = new Map<string, number>();
  let missing: string[] = [];
  if (values.wait) {
    if (!ctx.json && acks.length > 0)
      ctx.out.note(
        `Waiting for ${acks.length === 1 ? safe(acks[0].agent_name) : `${acks.length} agents`} to acknowledge…`,
      );
    ({ acknowledged, missing } = await waitForAcknowledgements(
      client,
      acks.map((a) => ({ name: a.agent_name, generation: a.generation })),
      {
        startedAt,
        timeoutMs: timeout,
        onAck: (name, ms) =>
          !ctx.json && acks.length > 1 && ctx.out.line(`${safe(name)} acknowledged in ${elapsed(ms)}`),
      },
    ));
  }

  if (ctx.json) {
    ctx.out.json({
      command,
      agents: acks.map((a) => ({
        name: a.agent_name,
        desired_state: a.desired_state,
        generation: a.generation,
        acknowledged_after_seconds: acknowledged.has(a.agent_name)
          ? (acknowledged.get(a.agent_name) ?? 0) / 1000
          : null,
      })),
    });
  } else if (agentName !== undefined) {
    const ack = acks[0];
    if (!values.wait)
      ctx.out.line(
        `${capital(command)} sent to ${safe(ack.agent_name)}: desired ${ack.desired_state}, generation ${ack.generation}.`,
      );
    else if (acknowledged.has(ack.agent_name))
      ctx.out.line(
        `${safe(ack.agent_name)} acknowledged ${command} (generation ${ack.generation}) in ${elapsed(acknowledged.get(ack.agent_name) ?? 0)}.`,
      );
  } else {
    const desired = acks[0]?.desired_state ?? (command === 'stop' ? 'stopped' : 'running');
    ctx.out.line(
      values.wait
        ? `${acknowledged.size} of ${acks.length} agents acknowledged ${command} in ${elapsed(Date.now() - startedAt)}.`
        : `${capital(command)} sent to ${acks.length} agents: desired ${desired}.`,
    );
  }
  if (missing.length > 0) {
    const names =
      missing
        .slice(0, 5)
        .map((n) => `"${safe(n)}"`)
        .join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    throw new CliError(
      `no acknowledgement from ${names} within ${timeout / 1000} s (is the worker running?)`,
      'timeout',
    );
  }
}

const capital = (text: string) => text[0].toUpperCase() + text.slice(1);

function single(command: Command, summary: string): CommandSpec {
  return {
    name: command,
    summary,
    usage: `${command} <name> [--wait] [--timeout <seconds>]`,
    details: WAIT_DETAILS,
    options: WAIT_OPTIONS,
    positionals: ['name'],
    run: (ctx, { values, positionals }) => send(ctx, { command, agentName: positionals[0] }, values, command),
  };
}

function all(command: 'start' | 'stop'): CommandSpec {
  const name = `${command}-all`;
  return {
    name,
    summary: `${command} every agent (asks for confirmation on a terminal unless --yes)`,
    usage: `${name} [--yes] [--wait] [--timeout <seconds>]`,
    details: ['--yes           do not ask for confirmation', ...WAIT_DETAILS],
    options: { ...WAIT_OPTIONS, yes: { type: 'boolean', short: 'y' } },
    async run(ctx, { values }) {
      if (!values.yes && ctx.isInteractive) {
        await ctx.session();
        const { count } = await ctx.client().from('agent_status').select('id', { count: 'exact', head: true });
        if (!(await confirm(`${capital(command)} all ${count ?? ''} agents?`.replace('  ', ' ')))) {
          throw new CliError('cancelled', 'cancelled');
        }
      }
      await send(ctx, { command }, values, name);
    },
  };
}

export const controlCommands: CommandSpec[] = [
  single('start', 'ask an agent to start'),
  single('stop', 'ask an agent to stop'),
  single('restart', 'ask an agent to stop and start again'),
  all('start'),
  all('stop'),
];
