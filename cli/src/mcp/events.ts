// Events as the tools show them: the `events --json` shape, newest first, messages cut to fit, without
// an error's log lines (a page of errors would carry up to 50 lines each; get_agent's last_error has
// the latest error's lines).
import type { Client } from '../client.ts';
import { describeEvent, eventJson } from '../commands/events.ts';
import type { AgentEventRow } from '@agent-status/domain';
import { restResult } from '../remote.ts';
import type { EventOutput, LogLine } from './schemas.ts';
import { cut, name, utc } from './text.ts';

export const EVENT_MESSAGE_MAX = 500;

export function eventOutput(row: AgentEventRow): EventOutput {
  const { log_lines: _lines, ...json } = eventJson(row);
  return { ...json, message: json.message === null ? null : cut(json.message, EVENT_MESSAGE_MAX) };
}

/** One event on one line; `agent` names it in a list across the fleet. */
export function eventLine(row: AgentEventRow, agent?: string): string {
  const what = describeEvent({ ...row, message: row.message === null ? null : cut(row.message, EVENT_MESSAGE_MAX) });
  return `- ${utc(row.created_at)}  ${agent === undefined ? '' : `${name(agent)}  `}${row.kind}  ${name(what)}`;
}

/** The newest events of one agent, newest first. */
export async function latestEvents(client: Client, agentId: string, limit: number): Promise<AgentEventRow[]> {
  if (limit === 0) return [];
  return restResult(
    await client
      .from('agent_events')
      .select('*')
      .eq('agent_id', agentId)
      .order('id', { ascending: false })
      .limit(limit),
    'reading events',
  );
}

/** The lines the worker logged before its latest error, kept with the error's event (oldest first). */
export async function crashContext(client: Client, agentId: string): Promise<LogLine[]> {
  const rows = restResult(
    await client
      .from('agent_events')
      .select('*')
      .eq('agent_id', agentId)
      .eq('kind', 'error')
      .order('id', { ascending: false })
      .limit(1),
    'reading the last error',
  );
  const lines = (rows[0] as { log_lines?: unknown } | undefined)?.log_lines;
  return Array.isArray(lines) ? lines.filter(isLogLine) : [];
}

const isLogLine = (value: unknown): value is LogLine =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as LogLine).at === 'string' &&
  typeof (value as LogLine).text === 'string' &&
  ['info', 'warn', 'error'].includes((value as LogLine).level);
