// What a tool answers: compact text for the assistant to read, the same facts as structuredContent
// (checked against the tool's output schema), or a tool error (isError) that carries the CLI's error:
// its message as text, then the document `agent-status --json` prints on stderr,
// {"error":{"code","message","status"}}, with the same codes.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CliError, UsageError } from '../errors.ts';

export interface ErrorDocument {
  code: string;
  message: string;
  status?: number | null;
}

export function toolResult(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** The error as `agent-status --json` reports it. */
export function errorDocument(error: unknown): ErrorDocument {
  if (error instanceof UsageError) return { code: 'usage', message: error.message };
  if (error instanceof CliError) return { code: error.code, message: error.message, status: error.status ?? null };
  return { code: 'failed', message: error instanceof Error ? error.message : String(error), status: null };
}

export function toolError(error: unknown): CallToolResult {
  const document = errorDocument(error);
  return {
    isError: true,
    content: [
      { type: 'text', text: document.message },
      { type: 'text', text: JSON.stringify({ error: document }) },
    ],
  };
}

/** A tool's handler whose failures become tool errors rather than protocol errors. */
export function handled<A>(handler: (args: A) => Promise<CallToolResult>): (args: A) => Promise<CallToolResult> {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      return toolError(error);
    }
  };
}
