// fleet_activity: what happened across the fleet in a time window — commands, transitions, errors,
// offline / online, registry changes — newest first, in pages by keyset (event id), as the dashboard's
// activity page reads it.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Client } from '../../client.ts';
import { UsageError } from '../../errors.ts';
import { restResult } from '../../remote.ts';
import { readAgent } from '../agents.ts';
import type { McpContext } from '../context.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { eventLine, eventOutput } from '../events.ts';
import { handled, toolResult } from '../result.ts';
import { agentName, cursorInput, event, eventKind, nextCursor, pageLimit } from '../schemas.ts';
import { more, utc } from '../text.ts';

export const ACTIVITY_DEFAULT = 50;
export const ACTIVITY_MAX = 200;
const UNITS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

const windowEdge = z.string().min(1).max(40).describe('an ISO 8601 time, or a time ago: "90s", "30m", "6h", "7d"');

export const fleetActivityInput = {
  since: windowEdge.optional().describe('start of the window (default "24h": the last 24 hours)'),
  until: windowEdge.optional().describe('end of the window (default now)'),
  kinds: z.array(eventKind).min(1).max(20).optional().describe('only events of these kinds'),
  agent: agentName.optional().describe("only this agent's events"),
  limit: pageLimit(ACTIVITY_DEFAULT, ACTIVITY_MAX),
  cursor: cursorInput,
};

export const fleetActivityOutput = {
  since: z.string(),
  until: z.string(),
  events: z.array(event.extend({ agent: z.string().nullable().describe("the agent's name; null if it was deleted") })),
  next_cursor: nextCursor,
};

/** An ISO time or a time ago ("30m") as an instant; `field` names it in the error. */
export function parseWindowEdge(text: string, field: string, nowMs: number): Date {
  const ago = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text.trim());
  if (ago) return new Date(nowMs - Number(ago[1]) * UNITS[ago[2] as keyof typeof UNITS] * 1000);
  const at = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim()) || !Number.isFinite(at))
    throw new UsageError(`${field} must be an ISO 8601 time or a time ago such as "30m", "6h" or "7d", got "${text}"`);
  return new Date(at);
}

const isEventPosition = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

export function registerFleetActivity(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'fleet_activity',
    {
      title: 'Fleet activity',
      description:
        'Events across the fleet in a time window (default the last 24 hours), newest first: commands (who asked), acknowledgements, status changes, warnings, errors, offline / online, registry changes. Filters: kinds, agent. Pages of at most 200 with a cursor.',
      inputSchema: fleetActivityInput,
      outputSchema: fleetActivityOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    handled(async ({ since = '24h', until, kinds, agent, limit = ACTIVITY_DEFAULT, cursor }) => {
      const now = Date.now();
      const from = parseWindowEdge(since, 'since', now);
      const to = until === undefined ? new Date(now) : parseWindowEdge(until, 'until', now);
      if (from >= to) throw new UsageError(`since (${from.toISOString()}) must be before until (${to.toISOString()})`);
      const before = cursor === undefined ? undefined : decodeCursor(cursor, isEventPosition);
      await ctx.session();
      const client = ctx.client();
      const agentId = agent === undefined ? undefined : (await readAgent(client, agent)).agent.id;

      let query = client
        .from('agent_events')
        .select('*')
        .gte('created_at', from.toISOString())
        .lte('created_at', to.toISOString());
      if (kinds) query = query.in('kind', kinds);
      if (agentId) query = query.eq('agent_id', agentId);
      if (before !== undefined) query = query.lt('id', before);
      // One more than asked for: whether another page exists, without counting.
      const rows = restResult(await query.order('id', { ascending: false }).limit(limit + 1), 'reading events');
      const page = rows.slice(0, limit);
      const next = rows.length > limit ? encodeCursor(page[page.length - 1].id) : null;
      const names = await agentNames(client, [...new Set(page.map((row) => row.agent_id))]);

      const heading =
        page.length === 0
          ? `No events from ${utc(from.toISOString())} to ${utc(to.toISOString())}${cursor ? ' after this cursor' : ''}.`
          : `${page.length} event${page.length === 1 ? '' : 's'} from ${utc(from.toISOString())} to ${utc(to.toISOString())}, newest first:`;
      return toolResult(
        [
          heading,
          ...page.map((row) => eventLine(row, names.get(row.agent_id) ?? '(deleted agent)')),
          ...more('fleet_activity', next),
        ].join('\n'),
        {
          since: from.toISOString(),
          until: to.toISOString(),
          events: page.map((row) => ({ ...eventOutput(row), agent: names.get(row.agent_id) ?? null })),
          next_cursor: next,
        },
      );
    }),
  );
}

async function agentNames(client: Client, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = restResult(
    await client.from('agent_status').select('id, agent_name').in('id', ids),
    'reading agent names',
  );
  return new Map(rows.map((row) => [row.id, row.agent_name]));
}
