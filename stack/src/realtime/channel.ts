// One joined channel (a topic on one socket): who the subscriber is, what it listens to, and the
// validation of its phx_join, answered the way hosted Realtime answers.
import type { Claims, StackContext } from '../types.ts';
import { isApiKeyFormat } from '../keys/index.ts';
import type { ChangeFeed, ChangeType, TableInfo } from './change-feed.ts';
import { qualifiedName } from './change-feed.ts';
import { compileFilter, FilterError, parseFilter, type FilterCondition } from './filter.ts';

export type BindingEvent = '*' | ChangeType;
const BINDING_EVENTS: readonly BindingEvent[] = ['*', 'INSERT', 'UPDATE', 'DELETE'];

export interface PostgresBinding {
  /** The id realtime-js matches against `payload.ids` of each postgres_changes message. */
  id: number;
  event: BindingEvent;
  schema: string;
  /** undefined: every published table of the schema. */
  table?: string;
  /** The filter text as the client sent it (also the key that groups identical filters). */
  filter?: string;
  conditions?: FilterCondition[];
  /** Exactly what the client sent, echoed in the join reply: realtime-js compares field by field. */
  echo: { event: string; schema: string; table?: string; filter?: string };
}

export interface Channel {
  topic: string;
  joinRef: string | null;
  claims: Claims;
  bindings: PostgresBinding[];
  broadcastSelf: boolean;
  broadcastAck: boolean;
}

export class JoinError extends Error {}

let nextBindingId = 1;

/**
 * The claims of a join's (or a later access_token message's) token. realtime-js sends the client's API
 * key there until a user signs in: an `sb_…` key stands for its role, as hosted Realtime reads it.
 */
export async function verifyToken(ctx: StackContext, token: unknown): Promise<Claims> {
  if (typeof token !== 'string' || token === '') throw new JoinError('access_token must be a non-empty string');
  if (isApiKeyFormat(token)) {
    const claims = await ctx.keys.apiKeyClaims(token);
    if (!claims) throw new JoinError('Invalid API key in access_token');
    return claims;
  }
  try {
    return await ctx.keys.verify(token);
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'Token has expired' : 'Invalid JWT';
    throw new JoinError(`${reason}: ${(error as Error).message}`);
  }
}

export const isExpired = (claims: Claims, nowMs = Date.now()) => typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs;

/** Validates a phx_join payload; throws JoinError with the reason the client gets. */
export async function joinChannel(
  ctx: StackContext,
  feed: ChangeFeed,
  topic: string,
  joinRef: string | null,
  payload: Record<string, unknown>,
  socketClaims: Claims | null,
): Promise<Channel> {
  if (!topic.startsWith('realtime:')) throw new JoinError(`topic "${topic}" must start with "realtime:"`);
  const config = (payload.config ?? {}) as Record<string, unknown>;
  if (typeof config !== 'object' || config === null) throw new JoinError('config must be an object');

  let claims: Claims;
  if (payload.access_token !== undefined && payload.access_token !== null) claims = await verifyToken(ctx, payload.access_token);
  else if (socketClaims) claims = socketClaims;
  else throw new JoinError('no valid access_token or apikey');
  if (isExpired(claims)) throw new JoinError('Token has expired');

  if (config.private === true) {
    throw new JoinError('private channels (Realtime Authorization) are not supported by the embedded stack');
  }
  const broadcast = (config.broadcast ?? {}) as Record<string, unknown>;
  const requested = config.postgres_changes ?? [];
  if (!Array.isArray(requested)) throw new JoinError('config.postgres_changes must be an array');

  const bindings: PostgresBinding[] = [];
  for (const raw of requested) bindings.push(await parseBinding(ctx, feed, raw));
  return {
    topic,
    joinRef,
    claims,
    bindings,
    broadcastSelf: broadcast.self === true,
    broadcastAck: broadcast.ack === true,
  };
}

async function parseBinding(ctx: StackContext, feed: ChangeFeed, raw: unknown): Promise<PostgresBinding> {
  if (typeof raw !== 'object' || raw === null) throw new JoinError('each postgres_changes entry must be an object');
  const { event, schema, table, filter } = raw as Record<string, unknown>;
  if (typeof event !== 'string' || !BINDING_EVENTS.includes(event.toUpperCase() as BindingEvent)) {
    throw new JoinError(`postgres_changes event must be one of ${BINDING_EVENTS.join(', ')}, got ${JSON.stringify(event)}`);
  }
  if (typeof schema !== 'string' || schema === '') throw new JoinError('postgres_changes needs a schema');
  if (table !== undefined && table !== null && typeof table !== 'string') throw new JoinError('postgres_changes table must be a string');
  if (filter !== undefined && filter !== null && typeof filter !== 'string') throw new JoinError('postgres_changes filter must be a string');
  const tableName = table && table !== '*' ? table : undefined;

  const binding: PostgresBinding = {
    id: nextBindingId++,
    event: event.toUpperCase() as BindingEvent,
    schema,
    table: tableName,
    filter: filter || undefined,
    echo: { event, schema, ...(table != null && { table }), ...(filter != null && { filter }) },
  };
  if (tableName) {
    const info = schema === '*' ? undefined : await feed.table(schema, tableName);
    if (!info) throw new JoinError(`table ${schema}.${tableName} is not in the supabase_realtime publication`);
    if (binding.filter) binding.conditions = await checkedFilter(ctx, info, binding.filter);
  } else if (binding.filter) {
    throw new JoinError('a postgres_changes filter needs a table');
  }
  return binding;
}

/** Parses the filter and lets Postgres check it once: unknown columns, values of the wrong type, bad regexes. */
async function checkedFilter(ctx: StackContext, table: TableInfo, text: string): Promise<FilterCondition[]> {
  try {
    const conditions = parseFilter(text);
    const compiled = compileFilter(conditions, table.columnNames, 'r', 1);
    await ctx.db.query(`select ${compiled.sql} from jsonb_populate_record(null::${qualifiedName(table)}, '{}'::jsonb) r`, compiled.params);
    return conditions;
  } catch (error) {
    const message = error instanceof FilterError ? error.message : `filter "${text}": ${(error as Error).message}`;
    throw new JoinError(`invalid filter on ${table.schema}.${table.name}: ${message}`);
  }
}

export function bindingMatches(binding: PostgresBinding, schema: string, table: string, type: ChangeType): boolean {
  return (
    (binding.schema === '*' || binding.schema === schema) &&
    (binding.table === undefined || binding.table === table) &&
    (binding.event === '*' || binding.event === type)
  );
}
