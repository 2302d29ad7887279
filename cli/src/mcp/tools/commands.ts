// start_agents, stop_agents, restart_agents: a command through the `agents` Edge Function with the
// signed-in person's session — the function and the database decide (operators may, viewers get 403) —
// for agents named or carrying a tag, then a bounded wait for the workers' acknowledgements (the CLI's
// --wait). An agent that has not acknowledged when the wait ends is reported pending, not as a failure:
// the command stands, and the worker carries it out when it next polls.
import { sendCommand as sendToAgents } from '@agent-status/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { waitForAcknowledgements } from '../../acknowledgement.ts';
import { roleOf } from '../../client.ts';
import { CliError, UsageError } from '../../errors.ts';
import { agentsOf, readFleet } from '../../read-fleet.ts';
import { elapsed } from '../../format.ts';
import { agentsFunctionValue } from '../../remote.ts';
import { inOrder, matches } from '../agents.ts';
import type { McpContext } from '../context.ts';
import { handled, toolResult } from '../result.ts';
import { agentCommand, agentName, desiredState } from '../schemas.ts';
import { name } from '../text.ts';

type Command = 'start' | 'stop' | 'restart';

export const WAIT_DEFAULT_SECONDS = 20;
export const WAIT_MAX_SECONDS = 120;
/** At most this many agents per call: one request to the function, one answer an assistant can read. */
export const COMMAND_MAX_AGENTS = 500;

export const commandInput = {
  names: z.array(agentName).min(1).max(COMMAND_MAX_AGENTS).optional().describe('the agents, by exact name'),
  tag: z.string().min(1).max(40).optional().describe('every agent carrying this tag (instead of names)'),
  wait_seconds: z
    .number()
    .min(0)
    .max(WAIT_MAX_SECONDS)
    .optional()
    .describe(
      `how long to wait for the workers to acknowledge (default ${WAIT_DEFAULT_SECONDS}, at most ${WAIT_MAX_SECONDS}; 0: do not wait)`,
    ),
};

export const commandOutput = {
  command: agentCommand,
  requested_by: z.string().nullable().describe('the signed-in person the command was sent as'),
  agents: z.array(
    z.object({
      name: z.string(),
      desired_state: desiredState,
      generation: z.number().int(),
      acknowledged: z.boolean().describe('the worker reported it carried the command out'),
      acknowledged_after_seconds: z.number().nullable(),
    }),
  ),
  pending: z.array(z.string()).describe('agents that had not acknowledged when the wait ended'),
  waited_seconds: z.number(),
};

const DESCRIPTIONS: Record<Command, string> = {
  start:
    'Start agents: their desired state becomes running and their workers start their work. By exact names, or every agent carrying a tag. Operators only. Waits (default 20 s) for the workers to acknowledge and says which did and which are still pending.',
  stop: 'Stop agents: their desired state becomes stopped and their workers stop their work (the processes keep running, idle, and obey a later start). By exact names, or every agent carrying a tag. Operators only. Waits (default 20 s) for the workers to acknowledge and says which did and which are still pending.',
  restart:
    'Restart agents: their workers stop their work and start it again (desired state running, a new generation). By exact names, or every agent carrying a tag. Operators only. Waits (default 20 s) for the workers to acknowledge and says which did and which are still pending.',
};

export function registerCommands(server: McpServer, ctx: McpContext): void {
  for (const command of ['start', 'stop', 'restart'] as const) {
    server.registerTool(
      `${command}_agents`,
      {
        title: `${command[0].toUpperCase()}${command.slice(1)} agents`,
        description: DESCRIPTIONS[command],
        inputSchema: commandInput,
        outputSchema: commandOutput,
        // Destructive: it changes what running agents do, so clients ask the person first.
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: command !== 'restart',
          openWorldHint: false,
        },
      },
      handled((args) => sendCommand(ctx, command, args)),
    );
  }
}

async function sendCommand(
  ctx: McpContext,
  command: Command,
  { names, tag, wait_seconds = WAIT_DEFAULT_SECONDS }: { names?: string[]; tag?: string; wait_seconds?: number },
) {
  if ((names === undefined) === (tag === undefined))
    throw new UsageError('give either names or tag, not both and not neither');
  const session = await ctx.session();
  const client = ctx.client();
  const targets = names ? [...new Set(names)] : await taggedAgents(ctx, tag as string);
  const startedAt = Date.now();
  // One agent by agent_name (the function's messages then name it, as the CLI's), several in one request.
  const acks = agentsFunctionValue(await sendToAgents(client, command, targets.length === 1 ? targets[0] : targets));

  const { acknowledged, missing } =
    wait_seconds > 0
      ? await waitForAcknowledgements(
          await ctx.liveClient(),
          acks.map((ack) => ({ name: ack.agent_name, generation: ack.generation })),
          { startedAt, timeoutMs: wait_seconds * 1000 },
        )
      : { acknowledged: new Map<string, number>(), missing: acks.map((ack) => ack.agent_name) };
  const waited = (Date.now() - startedAt) / 1000;
  const agents = acks.map((ack) => {
    const ms = acknowledged.get(ack.agent_name);
    return {
      name: ack.agent_name,
      desired_state: ack.desired_state,
      generation: ack.generation,
      acknowledged: ms !== undefined,
      acknowledged_after_seconds: ms === undefined ? null : ms / 1000,
    };
  });
  const by = session.user.email ?? null;

  const lines = [
    `${command} sent to ${agents.length} agent${agents.length === 1 ? '' : 's'}${by ? ` as ${name(by)} (${roleOf(session) ?? 'no role'})` : ''}; ${
      acknowledged.size
    } acknowledged${missing.length > 0 ? `, ${missing.length} pending` : ''}${wait_seconds > 0 ? ` after waiting up to ${wait_seconds} s` : ' (not waited for)'}.`,
    ...agents.map(
      (a) =>
        `- ${name(a.name)}: desired ${a.desired_state}, generation ${a.generation} — ${
          a.acknowledged
            ? `acknowledged in ${elapsed((a.acknowledged_after_seconds ?? 0) * 1000)}`
            : wait_seconds > 0
              ? 'pending: no acknowledgement yet (is its worker running?)'
              : 'pending'
        }`,
    ),
  ];
  return toolResult(lines.join('\n'), {
    command,
    requested_by: by,
    agents,
    pending: missing,
    waited_seconds: Math.round(waited * 100) / 100,
  });
}

/** The names of every agent the caller may see that carries the tag. */
async function taggedAgents(ctx: McpContext, tag: string): Promise<string[]> {
  const fleet = await readFleet(ctx.client());
  const names = inOrder(agentsOf(fleet))
    .filter((agent) => matches(agent, { tag }))
    .map((agent) => agent.agent_name);
  if (names.length === 0) throw new CliError(`no agent carries the tag "${name(tag)}"`, 'agent_not_found', 404);
  if (names.length > COMMAND_MAX_AGENTS)
    throw new UsageError(
      `${names.length} agents carry the tag "${name(tag)}"; a call commands at most ${COMMAND_MAX_AGENTS}`,
    );
  return names;
}
