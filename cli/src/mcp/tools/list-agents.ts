// list_agents: the fleet, filtered by state, tag and text, one page at a time.
import { isPending } from '@agent-status/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { agentsOf, readFleet } from '../../read-fleet.ts';
import { agentLine, countStates, inOrder, matches, positionOf, summary } from '../agents.ts';
import type { McpContext } from '../context.ts';
import { afterPosition, decodeCursor, encodeCursor, isAgentPosition } from '../cursor.ts';
import { handled, toolResult } from '../result.ts';
import { agentState, agentSummary, cursorInput, nextCursor, pageLimit, stateCounts } from '../schemas.ts';
import { more, name } from '../text.ts';

export const LIST_DEFAULT = 50;
export const LIST_MAX = 200;

export const listAgentsInput = {
  state: agentState.optional().describe('only agents in this state'),
  tag: z.string().min(1).max(40).optional().describe('only agents carrying this tag'),
  text: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('only agents whose name, description, activity, last warning or last error contains this (any case)'),
  limit: pageLimit(LIST_DEFAULT, LIST_MAX),
  cursor: cursorInput,
};

export const listAgentsOutput = {
  server_time: z.string(),
  matching: z.number().int().describe('agents that match the filters, on every page'),
  counts: stateCounts.describe('the whole fleet the caller may see, by state'),
  pending: z.number().int().describe('agents of the whole fleet with a command not carried out yet'),
  agents: z.array(agentSummary),
  next_cursor: nextCursor,
};

export function registerListAgents(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'list_agents',
    {
      title: 'List agents',
      description:
        'The fleet of agents: state (running, warning, error, stopped, offline), health, last heartbeat, uptime, desired state and any pending command, tags, activity and last error. Filters: state, tag, text. Ordered by name; pages of at most 200 with a cursor. Start here.',
      inputSchema: listAgentsInput,
      outputSchema: listAgentsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    handled(async ({ state, tag, text, limit = LIST_DEFAULT, cursor }) => {
      await ctx.session();
      const fleet = await readFleet(ctx.client());
      const serverNow = Date.now() + fleet.clockOffsetMs;
      const all = inOrder(agentsOf(fleet));
      const matching = all.filter((agent) => matches(agent, { state, tag, text }));
      const after = cursor === undefined ? undefined : decodeCursor(cursor, isAgentPosition);
      const rest = afterPosition(matching, after);
      const page = rest.slice(0, limit);
      const next = rest.length > limit ? encodeCursor(positionOf(page[page.length - 1])) : null;
      const counts = countStates(all);
      const pending = all.filter((agent) => isPending(agent)).length;
      const agents = page.map((agent) => summary(agent, serverNow));

      const filters = [
        state && `state ${state}`,
        tag && `tag ${name(tag)}`,
        text && `text ${JSON.stringify(text)}`,
      ].filter(Boolean);
      const first = matching.length - rest.length;
      const heading =
        matching.length === 0
          ? `No agents${filters.length > 0 ? ` match ${filters.join(', ')}` : ''}.`
          : `Agents ${first + 1}–${first + page.length} of ${matching.length}${filters.length > 0 ? ` matching ${filters.join(', ')}` : ''}:`;
      const fleetLine = `Fleet of ${all.length}: ${Object.entries(counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}; ${pending} with a command pending.`;
      return toolResult([fleetLine, heading, ...agents.map(agentLine), ...more('list_agents', next)].join('\n'), {
        server_time: new Date(serverNow).toISOString(),
        matching: matching.length,
        counts,
        pending,
        agents,
        next_cursor: next,
      });
    }),
  );
}
