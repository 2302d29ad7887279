import { AGENT_NAME_MAX_LENGTH, MAX_BULK_AGENT_NAMES } from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import type { JsonObject } from '../_shared/body.ts';
import type { Route } from './routes.ts';

/** Whom a command is for: every agent, one by name, or several by name (one set-based statement). */
export type CommandTarget = { kind: 'all' } | { kind: 'one'; name: string } | { kind: 'many'; names: string[] };

/** The agents a command names: agent_name or agent_names for single-agent routes, neither for "-all". */
export function commandTargetFor(route: Route, body: JsonObject): CommandTarget {
  if (route.target === 'all') {
    for (const field of ['agent_name', 'agent_names']) {
      if (body[field] !== undefined) {
        // Refused rather than ignored: a client that sends names probably did not mean "every agent".
        throw new ApiError(
          'invalid_agent_name',
          `"${route.command}-all" applies to every agent; do not send ${field}.`,
        );
      }
    }
    return { kind: 'all' };
  }
  if (body.agent_names !== undefined) {
    if (body.agent_name !== undefined) {
      throw new ApiError(
        'invalid_agent_name',
        'Send "agent_name" for one agent or "agent_names" for several, not both.',
      );
    }
    return { kind: 'many', names: checkedNames(body.agent_names) };
  }
  return { kind: 'one', name: checkedName(body.agent_name) };
}

/** A list of agent names: 1 to MAX_BULK_AGENT_NAMES valid names, or a 400 that says what is wrong. */
export function checkedNames(value: unknown, field = 'agent_names'): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ApiError(
      'invalid_agent_name',
      `"${field}" must be a non-empty array of agent names, e.g. {"${field}": ["Content Collector"]}.`,
    );
  }
  if (value.length > MAX_BULK_AGENT_NAMES) {
    throw new ApiError(
      'invalid_agent_name',
      `"${field}" may name at most ${MAX_BULK_AGENT_NAMES} agents per request (got ${value.length}).`,
    );
  }
  return value.map((name, i) => checkedName(name, `${field}[${i}]`));
}

/** An agent name as the body gives it (a non-empty string of at most AGENT_NAME_MAX_LENGTH characters), or a 400. */
export function checkedName(name: unknown, field = 'agent_name'): string {
  if (name === undefined || name === null) {
    throw new ApiError('invalid_agent_name', `The body needs "${field}", e.g. {"${field}": "Content Collector"}.`);
  }
  if (typeof name !== 'string' || name.trim() === '') {
    throw new ApiError('invalid_agent_name', `"${field}" must be a non-empty string.`);
  }
  // Postgres text cannot hold NUL, so no agent has such a name: a clear 400, not a database error.
  if (name.includes('\u0000')) {
    throw new ApiError('invalid_agent_name', `"${field}" must not contain NUL characters.`);
  }
  // A lone UTF-16 surrogate (JSON allows "\ud800") is no Unicode text: Postgres refuses it inside JSON.
  if (!name.isWellFormed()) {
    throw new ApiError('invalid_agent_name', `"${field}" must be valid Unicode text (it holds a lone surrogate).`);
  }
  // Counted in code points, as Postgres's char_length() counts them.
  if ([...name].length > AGENT_NAME_MAX_LENGTH) {
    throw new ApiError('invalid_agent_name', `"${field}" is longer than ${AGENT_NAME_MAX_LENGTH} characters.`);
  }
  return name;
}
