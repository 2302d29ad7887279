// mcp: a Model Context Protocol server on stdin/stdout for AI assistants (Claude Desktop, Claude Code,
// VS Code, …), acting as the signed-in CLI user: the same session file, refreshed as every command
// refreshes it. stdout carries the protocol and nothing else; notes go to stderr, which clients log.
// It ends when the client closes stdin, or on SIGINT / SIGTERM.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CommandSpec, Context } from '../command.ts';
import { roleOf } from '../client.ts';
import { mcpContext } from '../mcp/context.ts';
import { errorDocument } from '../mcp/result.ts';
import { createMcpServer } from '../mcp/server.ts';
import { safe } from '../output.ts';
import { VERSION } from '../version.ts';

export const mcp: CommandSpec = {
  name: 'mcp',
  summary: 'serve the Model Context Protocol on stdio for AI assistants, as the signed-in user',
  usage: 'mcp [--url <url>] [--publishable-key <key>]',
  details: [
    'Tools: list_agents, get_agent, fleet_activity, agent_logs, availability (read), and',
    'start_agents, stop_agents, restart_agents (operators; marked destructive so clients ask first).',
    'Sign in first with `agent-status login`; a viewer gets the read tools and a refusal on the commands.',
    'Add it to an MCP client as the command `npx agent-status mcp` (docs/mcp.md).',
  ],
  async run(ctx) {
    const project = ctx.project();
    keepStdoutForTheProtocol();
    const server = createMcpServer(
      mcpContext(project, () => ctx.client()),
      VERSION,
    );
    const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
    await server.connect(new StdioServerTransport());
    process.stdin.once('end', () => void server.close());
    await announce(ctx);
    await Promise.race([closed, ctx.interrupted]);
    await server.close();
  },
};

/** Anything a library prints with console.log would corrupt the protocol: it goes to stderr. */
function keepStdoutForTheProtocol(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

async function announce(ctx: Context): Promise<void> {
  const { url } = ctx.project();
  try {
    const session = await ctx.session();
    ctx.out.note(
      `agent-status MCP server: ${url} as ${safe(session.user.email ?? 'unknown')} (${roleOf(session) ?? 'no role'}).`,
    );
  } catch (error) {
    ctx.out.note(
      `agent-status MCP server: ${url}; ${safe(errorDocument(error).message)} — the tools answer that until then.`,
    );
  }
}
