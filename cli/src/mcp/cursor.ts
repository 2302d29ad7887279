// Cursors for paged tool answers: opaque to the assistant (base64url of a small JSON value), a keyset
// position rather than an offset, so a page never repeats or skips an item when the fleet changes
// between two calls.
import { UsageError } from '../errors.ts';

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, valid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!valid(value)) throw new UsageError('this cursor was not given out by this tool; call it again without a cursor');
  return value;
}

/** A position in the fleet's order (name, then id): the last agent of the previous page. */
export type AgentPosition = [name: string, id: string];

export const isAgentPosition = (value: unknown): value is AgentPosition =>
  Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string');

/** Agents after the position, in the fleet's order (name, then id, as agent_overview is read). */
export function afterPosition<T extends { agent_name: string; id: string }>(
  agents: T[],
  position?: AgentPosition,
): T[] {
  if (!position) return agents;
  const [name, id] = position;
  return agents.filter((a) => a.agent_name > name || (a.agent_name === name && a.id > id));
}
