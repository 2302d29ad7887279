// logs <name> [--follow] [--level warn] [--json] [--wait <s>]: an agent's live log (docs/logs.md). Asking is
// what makes the worker send: without --follow, the lines its buffer holds (a bounded snapshot, then the
// watch stops); with --follow, those and every new line until Ctrl-C. The worker stops sending within the
// watch's expiry once nobody asks.
import {
  atLeast,
  collectLogBacklog,
  type LogLines,
  emptyLogLines,
  mergeBatch,
  type ShownLine,
  watchAgentLogs,
} from '@agent-status/client';
import { LOG_LEVELS, type LogLevel } from '@agent-status/domain';
import type { CommandSpec, Context } from '../command.ts';
import type { Client } from '../client.ts';
import { CliError, UsageError } from '../errors.ts';
import { localTime, parseSeconds } from '../format.ts';
import { safe, type Output, type Style } from '../output.ts';
import { restResult } from '../remote.ts';

/** A snapshot waits at least this long for the worker, which learns of a watch at its next report. */
const MIN_WAIT_SECONDS = 15;
const MAX_WAIT_SECONDS = 600;

export interface LogLineJson {
  time: string;
  level: LogLevel;
  text: string;
  fields: Record<string, unknown> | null;
  /** The worker process that logged it, and its sequence number there. */
  instance: string;
  seq: number;
}

const lineJson = (line: ShownLine): LogLineJson => ({
  time: line.at,
  level: line.level,
  text: line.text,
  fields: line.fields ?? null,
  instance: line.instance,
  seq: line.seq,
});

const LEVEL_STYLE: Record<LogLevel, Style[]> = { info: [], warn: ['yellow'], error: ['red'] };

/** One line as the terminal shows it: local time, level, text, fields. Shared with `events --verbose`. */
export function formatLogLine(
  out: Output,
  line: { at: string; level: LogLevel; text: string; fields?: Record<string, unknown> | null },
): string {
  const fields = line.fields && Object.keys(line.fields).length > 0 ? ` ${JSON.stringify(line.fields)}` : '';
  return `${out.style(localTime(line.at), 'dim')}  ${out.style(line.level.padEnd(5), ...LEVEL_STYLE[line.level])}  ${safe(line.text + fields)}`;
}

interface Watched {
  id: string;
  name: string;
  offline: boolean;
  heartbeatIntervalSeconds: number;
}

async function findWatched(client: Client, name: string): Promise<Watched> {
  const rows = restResult(
    await client
      .from('agent_overview')
      .select('id, agent_name, offline, last_heartbeat, heartbeat_interval_seconds')
      .eq('agent_name', name)
      .limit(1),
    'looking up the agent',
  );
  const row = rows[0];
  if (!row?.id) throw new CliError(`there is no agent named "${safe(name)}"`, 'agent_not_found', 404);
  return {
    id: row.id,
    name: row.agent_name ?? name,
    // Marked offline by the sweep, or never heard from: no worker can answer.
    offline: row.offline === true || !row.last_heartbeat,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds ?? MIN_WAIT_SECONDS,
  };
}

function parseLevel(value: string | boolean | undefined): LogLevel {
  if (value === undefined) return 'info';
  if (typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new UsageError(`--level must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`, 'logs');
}

function parseWait(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'string' ? parseSeconds(value) : undefined;
  if (seconds === undefined || seconds < 1 || seconds > MAX_WAIT_SECONDS) {
    throw new UsageError(`--wait must be a number of seconds from 1 to ${MAX_WAIT_SECONDS}, got "${value}"`, 'logs');
  }
  return seconds;
}

export const logs: CommandSpec = {
  name: 'logs',
  summary: "an agent's live log: the lines its worker holds, and with --follow every new one",
  usage: 'logs <name> [--follow] [--level info|warn|error] [--wait <s>] [--json]',
  details: [
    '--follow, -f    keep printing new lines as the worker logs them; Ctrl-C ends it',
    '--level <l>     only lines of this level and above: info (all), warn, error',
    `--wait <s>      how long to wait for the worker's lines without --follow (default: its report interval + 10 s, at least ${MIN_WAIT_SECONDS} s)`,
    '--json          {"agent", "lines": [...]}; with --follow one line per line',
    'Exit 1 when the agent is offline, or its worker does not answer within the wait (an SDK without live logs).',
    'The last lines before an error are kept with the error: `agent-status events <name> --verbose`.',
  ],
  options: {
    follow: { type: 'boolean', short: 'f' },
    level: { type: 'string' },
    wait: { type: 'string' },
  },
  positionals: ['name'],
  async run(ctx, { values, positionals }) {
    const level = parseLevel(values.level);
    const wait = parseWait(values.wait);
    await ctx.session();
    const client = ctx.client();
    const agent = await findWatched(client, positionals[0]);
    if (values.follow) return follow(ctx, client, agent, level);
    if (agent.offline) {
      throw new CliError(
        `${safe(agent.name)} is offline — no live logs; the last lines before an error are in \`agent-status events ${safe(agent.name)} --verbose\``,
        'agent_offline',
      );
    }
    const seconds = wait ?? Math.max(MIN_WAIT_SECONDS, agent.heartbeatIntervalSeconds + 10);
    const snapshot = await collectLogBacklog(client, agent.id, { timeoutMs: seconds * 1000 });
    if (!snapshot.ok) throw new CliError(`reading the live log: ${snapshot.error.message}`, snapshot.error.code);
    if (!snapshot.value.complete) {
      throw new CliError(
        `${safe(agent.name)}'s worker did not answer within ${seconds} s (not running, or its SDK sends no live logs)`,
        'no_answer',
      );
    }
    const lines = snapshot.value.lines.filter((line) => atLeast(line.level, level));
    if (ctx.json) return ctx.out.json({ agent: agent.name, lines: lines.map(lineJson) });
    if (lines.length === 0) return ctx.out.note(`No log lines from ${safe(agent.name)}.`);
    for (const line of lines) ctx.out.line(formatLogLine(ctx.out, line));
  },
};

async function follow(ctx: Context, client: Client, agent: Watched, level: LogLevel) {
  await client.auth.startAutoRefresh();
  let kept: LogLines = emptyLogLines;
  let answered = false;
  let refusal: CliError | undefined;
  let refused: () => void = () => undefined;
  const refusedPromise = new Promise<void>((resolve) => (refused = resolve));
  const lastSeq = new Map<string, number>();
  const print = (line: ShownLine) => {
    const previous = lastSeq.get(line.instance);
    lastSeq.set(line.instance, line.seq);
    if (previous !== undefined && line.seq > previous + 1 && !ctx.json) {
      ctx.out.note(`… ${line.seq - previous - 1} line(s) not received (dropped from the worker's full buffer)`);
    }
    if (!atLeast(line.level, level)) return;
    if (ctx.json) ctx.out.json(lineJson(line));
    else ctx.out.line(formatLogLine(ctx.out, line));
  };
  if (!ctx.json) {
    ctx.out.note(
      agent.offline
        ? `${safe(agent.name)} is offline — no live logs until its worker runs again; waiting (Ctrl-C to stop)…`
        : `Waiting for ${safe(agent.name)}'s worker (Ctrl-C to stop)…`,
    );
  }
  const watching = watchAgentLogs(client, agent.id, {
    onBatch(batch) {
      const fresh = batch.lines.filter((line) => !kept.keys.has(line.key));
      kept = mergeBatch(kept, { instance: batch.instance, lines: batch.lines });
      if (!answered && !ctx.json) ctx.out.note(`Following ${safe(agent.name)} (Ctrl-C to stop)…`);
      answered = true;
      for (const line of fresh.sort((a, b) => a.seq - b.seq)) print(line);
    },
    onState(state, failure) {
      if (state !== 'unavailable' || !failure) return;
      // A refusal (signed out, no access, no live logs in this project) ends the command; a dropped
      // connection is retried.
      if (failure.code === 'timed_out' || failure.code === 'unreachable' || failure.status >= 500) {
        if (!ctx.json) ctx.out.note(`(${safe(failure.message)})`);
        return;
      }
      refusal = new CliError(`reading the live log: ${failure.message}`, failure.code);
      refused();
    },
  });
  try {
    await Promise.race([ctx.interrupted, refusedPromise]);
    if (refusal) throw refusal;
  } finally {
    await watching.stop();
    await client.auth.stopAutoRefresh();
  }
}
