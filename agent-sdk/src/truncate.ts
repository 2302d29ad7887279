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

// C0 and C1 controls and DEL, as the Python module's truncate.inert_text matches them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from the server as it may be logged: a control character (ESC, BEL, CR, the C1 range …), which a
 * terminal would act on or which would forge a log line, becomes a visible escape (\x1b); cut to maxLength.
 */
export function inertText(value: string, maxLength = 500): string {
  return truncateMessage(value, maxLength).replace(
    CONTROL,
    (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
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
