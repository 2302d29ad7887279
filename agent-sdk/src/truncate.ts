import { MESSAGE_MAX_LENGTH, TRUNCATION_MARKER } from './constants.ts';

/**
 * Cuts like the database's app.bounded_text(), so what the agent logs is what the row shows.
 * Lengths count code points, as Postgres's char_length() does: an emoji is one character, not two.
 */
export function truncateMessage(message: string, maxLength = MESSAGE_MAX_LENGTH): string {
  if (message.length <= maxLength) return message; // no more code points than UTF-16 units
  const codePoints = [...message];
  if (codePoints.length <= maxLength) return message;
  return codePoints.slice(0, maxLength - [...TRUNCATION_MARKER].length).join('') + TRUNCATION_MARKER;
}

/** A readable one-line description of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
