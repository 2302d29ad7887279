// get_agent: one agent in full — status, desired state, pending command, last error with the lines the
// worker logged before it, recent events.
import { isPending } from '@agent-status/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AgentOverviewRow } from '@agent-status/domain';
import { duration } from '../../format.ts';
import { readAgent, summary } from '../agents.ts';
import type { McpContext } from '../context.ts';
import { crashContext, eventLine, eventOutput, latestEvents } from '../events.ts';
import { handled, toolResult } from '../result.ts';
import { agentCommand, agentName, agentSummary, event, logLine } from '../schemas.ts';
import { name, quoted, utc } from '../text.ts';

export const EVENTS_DEFAULT = 10;
export const EVENTS_MAX = 50;
/** The agent's own texts in full, within reason: the database keeps at most 2,000 code points of an error. */
const FULL_TEXT_MAX = 2000;

export const getAgentInput = {
  name: agentName,
  events: z
    .number()
    .int()
    .min(0)
    .max(EVENTS_MAX)
    .optional()
    .describe(`how many of the latest events (default ${EVENTS_DEFAULT}, at most ${EVENTS_MAX}; newest first)`),
};

export const agentDetail = agentSummary.extend({
  description: z.string().nullable(),
  heartbeat_interval_seconds: z.number().int(),
  offline_after_seconds: z.number().int().describe('silent this long, the server marks it offline'),
  last_activity_at: z.string().nullable(),
  last_warning_at: z.string().nullable(),
  last_error_at: z.string().nullable(),
  host: z.string().nullable(),
  pid: z.number().int().nullable(),
  version: z.string().nullable(),
  pending_command: z
    .object({
      command: agentCommand.nullable(),
      generation: z.number().int(),
      requested_by_email: z.string().nullable(),
      requested_at: z.string().nullable(),
    })
    .nullable()
    .describe('the command the agent has not carried out yet; null when none is pending'),
});

export const getAgentOutput = {
  server_time: z.string(),
  agent: agentDetail,
  last_error: z
    .object({
      message: z.string(),
      at: z.string().nullable(),
      log_lines: z.array(logLine).describe("the worker's last log lines before the error, oldest first"),
    })
    .nullable(),
  events: z.array(event).describe('newest first'),
};

export function registerGetAgent(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'get_agent',
    {
      title: 'Get an agent',
      description:
        'One agent in full, by its exact name: state, health, heartbeat, desired state and any pending command (who asked, when), its description, tags and worker (host, pid, version), its last warning, its last error with the log lines its worker wrote just before it, and its latest events (newest first).',
      inputSchema: getAgentInput,
      outputSchema: getAgentOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    handled(async (args) => {
      await ctx.session();
      const page = await agentPage(ctx, args.name, args.events ?? EVENTS_DEFAULT);
      return toolResult(page.text, page.structured);
    }),
  );
}

/** The agent's page, as get_agent answers and as the agent's resource reads. */
export async function agentPage(ctx: McpContext, agentName: string, eventCount: number) {
  const client = ctx.client();
  const { row, agent } = await readAgent(client, agentName);
  const serverNow = row.server_time ? Date.parse(row.server_time) : Date.now();
  const [events, logLines] = await Promise.all([
    latestEvents(client, agent.id, eventCount),
    row.last_error ? crashContext(client, agent.id) : Promise.resolve([]),
  ]);
  const detail = {
    ...summary(agent, serverNow, FULL_TEXT_MAX),
    description: row.description,
    heartbeat_interval_seconds: row.heartbeat_interval_seconds,
    offline_after_seconds: row.effective_offline_after_seconds ?? row.heartbeat_interval_seconds * 3,
    last_activity_at: row.last_activity_at,
    last_warning_at: row.last_warning_at,
    last_error_at: row.last_error_at,
    host: row.host,
    pid: row.pid,
    version: row.version,
    pending_command: isPending(agent) ? pendingCommand(row) : null,
  };
  const lastError = row.last_error ? { message: row.last_error, at: row.last_error_at, log_lines: logLines } : null;
  const structured = {
    server_time: new Date(serverNow).toISOString(),
    agent: detail,
    last_error: lastError,
    events: events.map(eventOutput),
  };

  const lines = [
    `${name(detail.name)}: ${detail.state}, health ${detail.health}`,
    `Desired state: ${detail.desired_state}, generation ${detail.generation}, carried out ${detail.observed_generation}${
      detail.pending_command
        ? ` — ${detail.pending_command.command ?? 'a command'} pending since ${utc(detail.pending_command.requested_at)}${
            detail.pending_command.requested_by_email ? ` (by ${name(detail.pending_command.requested_by_email)})` : ''
          }`
        : ' — nothing pending'
    }`,
    `Heartbeat: ${
      detail.heartbeat_age_seconds === null
        ? 'never'
        : `${duration(detail.heartbeat_age_seconds)} ago (${utc(detail.last_heartbeat)})`
    }, every ${detail.heartbeat_interval_seconds} s, offline after ${detail.offline_after_seconds} s of silence${
      detail.uptime_seconds === null ? '' : `; up ${duration(detail.uptime_seconds)} since ${utc(detail.started_at)}`
    }`,
    ...(detail.host || detail.pid || detail.version
      ? [
          `Worker: ${[detail.host && `host ${name(detail.host)}`, detail.pid && `pid ${detail.pid}`, detail.version && `version ${name(detail.version)}`].filter(Boolean).join(', ')}`,
        ]
      : []),
    ...(detail.tags.length > 0 ? [`Tags: ${detail.tags.map(name).join(', ')}`] : []),
    ...(detail.description ? [`Description: ${quoted(detail.description, 1000)}`] : []),
    ...(detail.last_activity
      ? [`Activity: ${quoted(detail.last_activity, FULL_TEXT_MAX)} at ${utc(detail.last_activity_at)}`]
      : []),
    ...(detail.last_warning
      ? [`Last warning: ${quoted(detail.last_warning, FULL_TEXT_MAX)} at ${utc(detail.last_warning_at)}`]
      : []),
    ...(lastError ? [`Last error: ${quoted(lastError.message, FULL_TEXT_MAX)} at ${utc(lastError.at)}`] : []),
    ...(logLines.length > 0
      ? [
          `Log lines before that error (oldest first):`,
          ...logLines.map((line) => `  ${utc(line.at)} ${line.level.padEnd(5)} ${name(line.text)}`),
        ]
      : []),
    ...(events.length > 0 ? ['Latest events (newest first):', ...events.map((row) => eventLine(row))] : []),
  ];
  return { text: lines.join('\n'), structured };
}

function pendingCommand(row: AgentOverviewRow) {
  return {
    command: row.last_command,
    generation: row.generation,
    requested_by_email: row.requested_by_email,
    requested_at: row.requested_at,
  };
}
