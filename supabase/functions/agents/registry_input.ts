// The bodies of the registry routes, checked before anything reaches the database: each route takes
// its own fields and no others (a typo such as "heartbeat_interval" is a 400 that names the field,
// not a silently ignored setting), in the ranges the schema enforces (@agent-status/domain mirrors
// them; the SQL functions check them again with the same messages).
import {
  AGENT_DESCRIPTION_MAX_LENGTH,
  HEARTBEAT_INTERVAL_RANGE_SECONDS,
  normalizeTag,
  OFFLINE_AFTER_RANGE_SECONDS,
  tagProblem,
  TAGS_MAX_PER_AGENT,
  TOKEN_LABEL_MAX_LENGTH,
} from '@agent-status/domain';
import type { JsonObject } from '../_shared/body.ts';
import { ApiError } from '../_shared/errors.ts';
import type { RegistryAction } from './routes.ts';
import { checkedName, checkedNames } from './validate.ts';

/** The settings a body may change; a key that is present is a change (null: description removed, default grace). */
export interface AgentSettings {
  description?: string | null;
  heartbeat_interval_seconds?: number;
  offline_after_seconds?: number | null;
}

export type RegistryInput =
  | { action: 'create'; agentName: string; settings: AgentSettings }
  | { action: 'update'; agentName: string; newName?: string; settings: AgentSettings }
  | { action: 'delete'; agentName: string }
  | { action: 'issue-token'; agentName: string; label?: string }
  | { action: 'revoke-token'; tokenId: string }
  | { action: 'tag'; agentNames: string[]; add: string[]; remove: string[] };

const SETTINGS = ['description', 'heartbeat_interval_seconds', 'offline_after_seconds'] as const;
const FIELDS: Record<RegistryAction, readonly string[]> = {
  create: ['agent_name', ...SETTINGS],
  update: ['agent_name', 'new_name', ...SETTINGS],
  delete: ['agent_name'],
  'issue-token': ['agent_name', 'label'],
  'revoke-token': ['token_id'],
  tag: ['agent_names', 'add', 'remove'],
};
const PATHS: Record<RegistryAction, string> = {
  create: '/create',
  update: '/update',
  delete: '/delete',
  'issue-token': '/tokens/issue',
  'revoke-token': '/tokens/revoke',
  tag: '/tags',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registryInput(action: RegistryAction, body: JsonObject): RegistryInput {
  const unknown = Object.keys(body).find((key) => !FIELDS[action].includes(key));
  if (unknown !== undefined) {
    throw new ApiError(
      'invalid_field',
      `"${unknown}" is not a field of ${PATHS[action]}; use ${FIELDS[action].join(', ')}.`,
    );
  }
  switch (action) {
    case 'create':
      // Names are kept trimmed (the schema's constraint): " My Agent " is "My Agent".
      return { action, agentName: checkedName(trimmed(body.agent_name)), settings: settingsFrom(body, 'create') };
    case 'update': {
      const input: RegistryInput = {
        action,
        agentName: checkedName(body.agent_name),
        settings: settingsFrom(body, 'update'),
      };
      if (body.new_name !== undefined) input.newName = checkedName(trimmed(body.new_name), 'new_name');
      return input;
    }
    case 'delete':
      return { action, agentName: checkedName(body.agent_name) };
    case 'issue-token': {
      const input: RegistryInput = { action, agentName: checkedName(body.agent_name) };
      const label = optionalText(body.label, 'label', TOKEN_LABEL_MAX_LENGTH);
      if (label) input.label = label;
      return input;
    }
    case 'revoke-token':
      if (typeof body.token_id !== 'string' || !UUID.test(body.token_id)) {
        throw new ApiError(
          'invalid_field',
          'The body needs "token_id", the id of the token (a uuid), e.g. {"token_id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"}.',
        );
      }
      return { action, tokenId: body.token_id.toLowerCase() };
    case 'tag': {
      const input: RegistryInput = {
        action,
        agentNames: checkedNames(body.agent_names),
        add: tagList(body.add, 'add'),
        remove: tagList(body.remove, 'remove'),
      };
      if (input.add.length + input.remove.length === 0) {
        throw new ApiError(
          'invalid_field',
          'Name at least one tag in "add" or "remove", e.g. {"agent_names": ["Content Collector"], "add": ["prod"]}.',
        );
      }
      return input;
    }
  }
}

/** Tags as the SQL function takes them (trimmed, lower case), each checked with its words. */
function tagList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((tag) => typeof tag !== 'string')) {
    throw new ApiError('invalid_field', `"${field}" must be an array of tags (strings).`);
  }
  if (value.length > TAGS_MAX_PER_AGENT) {
    throw new ApiError(
      'invalid_field',
      `"${field}" may hold at most ${TAGS_MAX_PER_AGENT} tags (an agent has at most that many).`,
    );
  }
  return value.map((tag: string) => {
    const normal = normalizeTag(tag);
    const problem = normal.isWellFormed() ? tagProblem(normal) : 'a tag must be valid Unicode text';
    if (problem) throw new ApiError('invalid_field', `"${field}": ${problem}.`);
    return normal;
  });
}

function trimmed(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function settingsFrom(body: JsonObject, action: 'create' | 'update'): AgentSettings {
  const settings: AgentSettings = {};
  if (body.description !== undefined) {
    settings.description = optionalText(body.description, 'description', AGENT_DESCRIPTION_MAX_LENGTH) || null;
  }
  if (body.heartbeat_interval_seconds !== undefined) {
    settings.heartbeat_interval_seconds = seconds(
      body.heartbeat_interval_seconds,
      'heartbeat_interval_seconds',
      HEARTBEAT_INTERVAL_RANGE_SECONDS,
      false,
    ) as number;
  }
  if (body.offline_after_seconds !== undefined) {
    settings.offline_after_seconds = seconds(
      body.offline_after_seconds,
      'offline_after_seconds',
      OFFLINE_AFTER_RANGE_SECONDS,
      true,
    );
  }
  // On create, null means "not given" for every setting.
  if (action === 'create') for (const key of SETTINGS) if (settings[key] === null) delete settings[key];
  return settings;
}

function optionalText(value: unknown, field: string, maxLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('invalid_field', `"${field}" must be a string.`);
  if (value.includes('\u0000')) throw new ApiError('invalid_field', `"${field}" must not contain NUL characters.`);
  // A lone UTF-16 surrogate (JSON allows "\ud800") is no Unicode text: Postgres refuses it inside JSON.
  if (!value.isWellFormed())
    throw new ApiError('invalid_field', `"${field}" must be valid Unicode text (it holds a lone surrogate).`);
  const length = [...value].length;
  if (length > maxLength)
    throw new ApiError('invalid_field', `"${field}" must be at most ${maxLength} characters (got ${length}).`);
  return value;
}

function seconds(value: unknown, field: string, range: { min: number; max: number }, nullable: boolean): number | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ApiError('invalid_field', `"${field}" must be a whole number of seconds${nullable ? ' or null' : ''}.`);
  }
  if (value < range.min || value > range.max) {
    throw new ApiError(
      'invalid_field',
      `"${field}" must be between ${range.min} and ${range.max} seconds, got ${value}.`,
    );
  }
  return value;
}
