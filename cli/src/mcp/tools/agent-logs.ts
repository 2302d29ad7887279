// agent_logs: a bounded snapshot of an agent's live log tail. The live tail is a feature of the logs
// release (watch, collect the backlog, stop); until this CLI has it the tool answers a tool error that
// says so, with the schema it will keep.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { CliError } from '../../errors.ts';
import type { McpContext } from '../context.ts';
import { handled } from '../result.ts';
import { agentName, logLine } from '../schemas.ts';

export const LOG_LINES_DEFAULT = 50;
export const LOG_LINES_MAX = 200;
export const LOG_WAIT_DEFAULT_SECONDS = 5;
export const LOG_WAIT_MAX_SECONDS = 15;

export const agentLogsInput = {
  name: agentName,
  lines: z
    .number()
    .int()
    .min(1)
    .max(LOG_LINES_MAX)
    .optional()
    .describe(`how many of the latest lines (default ${LOG_LINES_DEFAULT}, at most ${LOG_LINES_MAX})`),
  level: z.enum(['info', 'warn', 'error']).optional().describe('only lines of this level and above'),
  wait_seconds: z
    .number()
    .min(1)
    .max(LOG_WAIT_MAX_SECONDS)
    .optional()
    .describe(
      `how long to listen to the live tail for the worker's backlog and new lines (default ${LOG_WAIT_DEFAULT_SECONDS}, at most ${LOG_WAIT_MAX_SECONDS})`,
    ),
};

export const agentLogsOutput = {
  agent: z.string(),
  lines: z.array(logLine).describe('oldest first'),
  truncated: z.boolean().describe('more lines arrived than were asked for; the oldest were left out'),
  listened_seconds: z.number(),
};

export function registerAgentLogs(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'agent_logs',
    {
      title: "An agent's logs",
      description:
        "A snapshot of an agent's live log tail: its worker's latest lines (backlog) and what it logs while the tool listens, bounded in lines and seconds. The worker must be running.",
      inputSchema: agentLogsInput,
      outputSchema: agentLogsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    handled(async () => {
      await ctx.session();
      throw new CliError(
        "agent logs are not available in this version of agent-status; use get_agent for the agent's last error and its log lines",
        'not_available',
      );
    }),
  );
}
