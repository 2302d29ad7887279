// agent_logs: a bounded snapshot of an agent's live log tail — watch (@agent-status/client's
// collectLogBacklog, as `agent-status logs` does), take the worker's backlog, stop. The worker stops
// sending within the watch's expiry. Bounded in lines (the latest `lines`) and in seconds (`wait_seconds`).
import { atLeast, collectLogBacklog } from '@agent-status/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { CliError } from '../../errors.ts';
import { readAgent } from '../agents.ts';
import type { McpContext } from '../context.ts';
import { handled, toolResult } from '../result.ts';
import { agentName, type LogLine, logLine } from '../schemas.ts';
import { name, utc } from '../text.ts';

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

/** How long each watch request of the snapshot runs: past the wait, so the worker stops soon after. */
const WATCH_SECONDS = 20;

export function registerAgentLogs(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'agent_logs',
    {
      title: "An agent's logs",
      description:
        "A snapshot of an agent's live log tail: the latest lines its worker holds in memory (redacted by the worker), asked for now and answered within wait_seconds, bounded in lines. The worker must be running with an SDK that has live logs; for the lines before its last error, see get_agent.",
      inputSchema: agentLogsInput,
      outputSchema: agentLogsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    handled(async (args) => {
      await ctx.session();
      const answer = await agentLogs(ctx, args);
      return toolResult(answer.text, answer.structured);
    }),
  );
}

async function agentLogs(
  ctx: McpContext,
  args: { name: string; lines?: number; level?: LogLine['level']; wait_seconds?: number },
) {
  const { agent } = await readAgent(ctx.client(), args.name);
  if (agent.offline || !agent.last_heartbeat) {
    throw new CliError(
      `${agent.agent_name} is offline — no live logs; get_agent shows the lines kept with its last error`,
      'agent_offline',
    );
  }
  const waitSeconds = args.wait_seconds ?? LOG_WAIT_DEFAULT_SECONDS;
  const wanted = args.lines ?? LOG_LINES_DEFAULT;
  const live = await ctx.liveClient();
  const startedAt = Date.now();
  try {
    const snapshot = await collectLogBacklog(live, agent.id, { timeoutMs: waitSeconds * 1000, seconds: WATCH_SECONDS });
    if (!snapshot.ok) throw new CliError(`reading the live log: ${snapshot.error.message}`, snapshot.error.code);
    if (!snapshot.value.complete) {
      throw new CliError(
        `${agent.agent_name}'s worker did not answer within ${waitSeconds} s (not running, or its SDK sends no live logs); get_agent shows the lines kept with its last error`,
        'no_answer',
      );
    }
    const level = args.level ?? 'info';
    const matching = snapshot.value.lines.filter((line) => atLeast(line.level, level));
    const lines: LogLine[] = matching.slice(-wanted).map((line) => ({
      at: line.at,
      level: line.level,
      text: line.text,
      ...(line.fields ? { fields: line.fields } : {}),
    }));
    const structured = {
      agent: agent.agent_name,
      lines,
      truncated: matching.length > lines.length,
      listened_seconds: Math.round((Date.now() - startedAt) / 100) / 10,
    };
    const text = [
      `${name(agent.agent_name)}: ${lines.length} log line${lines.length === 1 ? '' : 's'}${structured.truncated ? ` (the latest of ${matching.length})` : ''}, oldest first`,
      ...lines.map(
        (line) =>
          `  ${utc(line.at)} ${line.level.padEnd(5)} ${name(line.text)}${line.fields ? ` ${name(JSON.stringify(line.fields))}` : ''}`,
      ),
    ].join('\n');
    return { text, structured };
  } finally {
    await live.removeAllChannels().catch(() => undefined);
    live.realtime.disconnect();
  }
}
