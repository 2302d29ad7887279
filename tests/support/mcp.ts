// An MCP client as an assistant runs one: the SDK's own Client over stdio, spawning the built
// `agent-status mcp` (what `npx agent-status mcp` runs) in a user's home (support/cli.ts).
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const CLI_BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'agent-status.js');

export interface McpSession {
  client: Client;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** tools/call; the result as the client validated it. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Starts `agent-status mcp` with exactly this environment and working directory, and connects to it. */
export async function connectMcp(
  home: { dir: string; env: Record<string, string> },
  args: string[] = [],
  bin = CLI_BIN,
): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, 'mcp', ...args],
    env: home.env,
    cwd: home.dir,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'agent-status-tests', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    call: async (name, toolArgs = {}) =>
      (await client.callTool({ name, arguments: toolArgs }, undefined, { timeout: 180_000 })) as CallToolResult,
    close: () => client.close(),
  };
}

/** The text blocks of a tool result, joined. */
export const textOf = (result: CallToolResult) =>
  result.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
    .map((block) => block.text)
    .join('\n');

/** A tool error's `{"error":{code,message,status}}` document (its last text block). */
export function errorOf(result: CallToolResult): { code: string; message: string; status?: number | null } {
  if (!result.isError) throw new Error(`expected a tool error, got ${textOf(result)}`);
  const last = result.content.at(-1) as { type: 'text'; text: string };
  return JSON.parse(last.text).error;
}
