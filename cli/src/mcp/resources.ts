// Resources: the fleet summary (agent-status://fleet) and each agent's page
// (agent-status://agents/{name}), the same text as list_agents' first lines and get_agent. A failure
// (not signed in, no such agent) is a protocol error, as resources have no error result.
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { agentsOf, readFleet } from '../read-fleet.ts';
import { agentLine, countStates, inOrder, summary } from './agents.ts';
import type { McpContext } from './context.ts';
import { errorDocument } from './result.ts';
import { agentPage } from './tools/get-agent.ts';

export const FLEET_URI = 'agent-status://fleet';
export const AGENT_URI_TEMPLATE = 'agent-status://agents/{name}';
/** resources/list names at most this many agents' pages; every agent's page can still be read by its URI. */
export const LISTED_AGENT_PAGES = 500;
/** The fleet summary lists the agents that need attention, at most this many. */
const ATTENTION_MAX = 50;

export const agentUri = (agentName: string) => `agent-status://agents/${encodeURIComponent(agentName)}`;

async function read<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { code, message } = errorDocument(error);
    throw new McpError(code === 'agent_not_found' ? ErrorCode.InvalidParams : ErrorCode.InternalError, message, {
      code,
    });
  }
}

export function registerResources(server: McpServer, ctx: McpContext): void {
  server.registerResource(
    'fleet',
    FLEET_URI,
    {
      title: 'Fleet summary',
      description:
        'How many agents are in each state, and the ones that need attention (error, offline, warning, pending command).',
      mimeType: 'text/plain',
    },
    (uri) =>
      read(async () => {
        await ctx.session();
        const fleet = await readFleet(ctx.client());
        const serverNow = Date.now() + fleet.clockOffsetMs;
        const all = inOrder(agentsOf(fleet));
        const counts = countStates(all);
        const attention = all
          .map((agent) => summary(agent, serverNow))
          .filter((a) => a.state === 'error' || a.state === 'offline' || a.state === 'warning' || a.pending);
        const text = [
          `Fleet of ${all.length} agents at ${new Date(serverNow).toISOString()}: ${Object.entries(counts)
            .map(([state, n]) => `${n} ${state}`)
            .join(', ')}.`,
          attention.length === 0 ? 'Nothing needs attention.' : `Needing attention (${attention.length}):`,
          ...attention.slice(0, ATTENTION_MAX).map(agentLine),
          ...(attention.length > ATTENTION_MAX
            ? [`… and ${attention.length - ATTENTION_MAX} more: use list_agents.`]
            : []),
        ].join('\n');
        return { contents: [{ uri: uri.href, mimeType: 'text/plain', text }] };
      }),
  );

  server.registerResource(
    'agent',
    new ResourceTemplate(AGENT_URI_TEMPLATE, {
      list: () =>
        read(async () => {
          await ctx.session();
          const fleet = await readFleet(ctx.client());
          return {
            resources: inOrder(agentsOf(fleet))
              .slice(0, LISTED_AGENT_PAGES)
              .map((agent) => ({ uri: agentUri(agent.agent_name), name: agent.agent_name, mimeType: 'text/plain' })),
          };
        }),
    }),
    {
      title: "An agent's page",
      description:
        'One agent in full, as get_agent answers: state, desired state, pending command, last error with its log lines, latest events.',
      mimeType: 'text/plain',
    },
    (uri, variables) =>
      read(async () => {
        await ctx.session();
        const raw = Array.isArray(variables.name) ? variables.name[0] : variables.name;
        const page = await agentPage(ctx, decodeURIComponent(raw ?? ''), 10);
        return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: page.text }] };
      }),
  );
}
