import { AGENT_NAME_MAX_LENGTH } from '@agent-status/domain';
import { ApiError } from '../_shared/errors.ts';
import type { JsonObject } from '../_shared/body.ts';
import type { Route } from './routes.ts';

/** The agent a command names: a string agent_name for single-agent routes, none for "-all". */
export function agentNameFor(route: Route, body: JsonObject): string | undefined {
  const name = body.agent_name;
  if (route.target === 'all') {
    if (name !== undefined) {
      // Refused rather than ignored: a client that sends a name probably did not mean "every agent".
      throw new ApiError('invalid_agent_name', `"${route.command}-all" applies to every agent; do not send agent_name.`);
    }
    return undefined;
  }
  return checkedName(name);
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
