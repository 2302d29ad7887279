// availability: per agent, the share of the last 24 hours, 7 days and 30 days it was available, from
// its event history (fleet_availability(): available ÷ (available + down); stopped time and time
// before the history begins are left out), as the dashboard shows it.
import { displayState } from '@agent-status/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { agentsOf, readFleet } from '../../read-fleet.ts';
import { restResult } from '../../remote.ts';
import { inOrder, matches, noSuchAgent, positionOf } from '../agents.ts';
import type { McpContext } from '../context.ts';
import { afterPosition, decodeCursor, encodeCursor, isAgentPosition } from '../cursor.ts';
import { handled, toolResult } from '../result.ts';
import { agentName, agentState, cursorInput, nextCursor, pageLimit } from '../schemas.ts';
import { more, name, percent } from '../text.ts';

export const AVAILABILITY_DEFAULT = 50;
export const AVAILABILITY_MAX = 200;
const WINDOWS = ['last_24h', 'last_7d', 'last_30d'] as const;

export const availabilityInput = {
  names: z.array(agentName).min(1).max(AVAILABILITY_MAX).optional().describe('only these agents, by exact name'),
  tag: z.string().min(1).max(40).optional().describe('only agents carrying this tag'),
  limit: pageLimit(AVAILABILITY_DEFAULT, AVAILABILITY_MAX),
  cursor: cursorInput,
};

const share = z.object({
  availability: z.number().nullable().describe('available ÷ (available + down), 0–1; null when neither was counted'),
  counted_seconds: z.number().describe('seconds counted (available + down)'),
});

export const availabilityOutput = {
  agents: z.array(z.object({ name: z.string(), state: agentState, last_24h: share, last_7d: share, last_30d: share })),
  next_cursor: nextCursor,
};

export function registerAvailability(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'availability',
    {
      title: 'Availability',
      description:
        'Per agent, the share of the last 24 hours, 7 days and 30 days it was available (running or warning) rather than down (error or offline), from its event history; stopped time is left out. All agents, or by names or tag; pages of at most 200 with a cursor.',
      inputSchema: availabilityInput,
      outputSchema: availabilityOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    handled(async ({ names, tag, limit = AVAILABILITY_DEFAULT, cursor }) => {
      const after = cursor === undefined ? undefined : decodeCursor(cursor, isAgentPosition);
      await ctx.session();
      const client = ctx.client();
      const [fleet, figures] = await Promise.all([
        readFleet(client),
        // Per agent id: [a24h, s24h, a7d, s7d, a30d, s30d].
        client.rpc('fleet_availability').then((answer) => restResult(answer, 'reading availability')),
      ]);
      const all = inOrder(agentsOf(fleet));
      const unknown = names?.find((n) => !all.some((agent) => agent.agent_name === n));
      if (unknown !== undefined) throw noSuchAgent(unknown);
      const rest = afterPosition(
        all.filter((agent) => matches(agent, { tag, names })),
        after,
      );
      const page = rest.slice(0, limit);
      const next = rest.length > limit ? encodeCursor(positionOf(page[page.length - 1])) : null;
      const agents = page.map((agent) => {
        const f = figures[agent.id] ?? [null, 0, null, 0, null, 0];
        const windows = Object.fromEntries(
          WINDOWS.map((window, i) => [window, { availability: f[2 * i], counted_seconds: f[2 * i + 1] }]),
        ) as Record<(typeof WINDOWS)[number], z.infer<typeof share>>;
        return { name: agent.agent_name, state: displayState(agent), ...windows };
      });
      const lines = [
        agents.length === 0
          ? 'No agents.'
          : 'Availability = available ÷ (available + down); stopped time and time before the history are left out ("—": nothing counted).',
        ...agents.map(
          (a) =>
            `- ${name(a.name)} (${a.state}): 24 h ${percent(a.last_24h.availability)}, 7 d ${percent(a.last_7d.availability)}, 30 d ${percent(a.last_30d.availability)}`,
        ),
        ...more('availability', next),
      ];
      return toolResult(lines.join('\n'), { agents, next_cursor: next });
    }),
  );
}
