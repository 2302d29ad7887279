// The tools' shared JSON shapes (zod, published as JSON Schema in tools/list). Stable: fields are only
// ever added (docs/mcp.md). An agent and an event have the shapes of `status --json` and
// `events --json` (docs/cli.md), plus what an assistant needs beside them (tags, the agent's name).
import {
  AGENT_COMMANDS,
  AGENT_EVENT_KINDS,
  AGENT_STATUSES,
  type AgentStatus,
  DESIRED_STATES,
  DISPLAY_STATES,
  type DisplayState,
} from '@agent-status/domain';
import { z } from 'zod';

export const agentState = z.enum(DISPLAY_STATES as readonly DisplayState[] as [DisplayState, ...DisplayState[]]);
export const eventKind = z.enum(AGENT_EVENT_KINDS);
const runStatus = z.enum(AGENT_STATUSES as readonly AgentStatus[] as [AgentStatus, ...AgentStatus[]]);
export const desiredState = z.enum(DESIRED_STATES);
export const agentCommand = z.enum(AGENT_COMMANDS);
const time = z.string().describe('ISO 8601');
const nullableText = z.string().nullable();

/** Limits of one page; a cursor gives the next. */
export const pageLimit = (fallback: number, max: number) =>
  z.number().int().min(1).max(max).optional().describe(`how many at most (default ${fallback}, at most ${max})`);
export const cursorInput = z.string().max(2000).optional().describe('next_cursor of the previous answer');
export const nextCursor = z.string().nullable().describe('pass as cursor for the next page; null on the last page');

export const agentName = z.string().min(1).max(100).describe("an agent's exact name");

export const agentSummary = z.object({
  name: z.string(),
  state: agentState,
  health: z.number().int(),
  last_heartbeat: time.nullable(),
  heartbeat_age_seconds: z.number().nullable(),
  started_at: time.nullable(),
  uptime_seconds: z.number().nullable(),
  desired_state: desiredState,
  generation: z.number().int(),
  observed_generation: z.number().int(),
  pending: z.boolean().describe('a command the agent has not carried out yet (generation > observed_generation)'),
  last_activity: nullableText,
  last_error: nullableText,
  last_warning: nullableText,
  tags: z.array(z.string()),
});
export type AgentSummary = z.infer<typeof agentSummary>;

export const stateCounts = z.object({
  running: z.number().int(),
  warning: z.number().int(),
  error: z.number().int(),
  stopped: z.number().int(),
  offline: z.number().int(),
});

export const event = z.object({
  id: z.number().int(),
  time,
  kind: eventKind,
  message: nullableText,
  from_status: runStatus.nullable(),
  to_status: runStatus.nullable(),
  health: z.number().int().nullable(),
  generation: z.number().int().nullable(),
  command: agentCommand.nullable(),
  actor_email: nullableText,
});
export type EventOutput = z.infer<typeof event>;

export const logLine = z.object({
  at: time,
  level: z.enum(['info', 'warn', 'error']),
  text: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type LogLine = z.infer<typeof logLine>;
