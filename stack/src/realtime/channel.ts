// One joined channel (a topic on one socket): who the subscriber is, what it listens to, and the
// validation of its phx_join, answered the way hosted Realtime answers.
import type { Claims, StackContext } from '../types.ts';
import { isApiKeyFormat } from '../keys/index.ts';
import type { ChangeFeed, ChangeType, TableInfo } from './change-feed.ts';
import type { Shared } from './connection.ts';
import { qualifiedName } from './change-feed.ts';
import { compileFilter, FilterError, parseFilter, type FilterCondition } from './filter.ts';
import { checkFilterValue } from './filter-values.ts';
import { MAX_BINDINGS_PER_JOIN } from './limits.ts';

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
  /** A private channel (Realtime Authorization): its own namespace, apart from the public topic of the same name. */
  private: boolean;
  joinRef: string | null;
  claims: Claims;
  bindings: PostgresBinding[];
  broadcastSelf: boolean;
  broadcastAck: boolean;
  /** Whether the claims may broadcast here (the INSERT policy on realtime.messages), once asked; reset by a new token. */
  mayBroadcast?: boolean;
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

export const isExpired = (claims: Claims, nowMs = Date.now()) =>
  typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs;

/**
 * Validates a phx_join payload; throws JoinError with the reason the client gets. Everything about the
 * bindings is decided without the database (the publication and the roles' privileges are cached by the
 * change feed, filter values are checked in memory); only a private channel's read policy and filter
 * values of types checked nowhere else cost a query — one per join, never one per binding.
 */
export async function joinChannel(
  ctx: StackContext,
  { feed, authorizer }: Pick<Shared, 'feed' | 'authorizer'>,
  topic: string,
  joinRef: string | null,
  payload: Record<string, unknown>,
  socketClaims: Claims | null,
): Promise<Channel> {
  if (!topic.startsWith('realtime:')) throw new JoinError(`topic "${topic}" must start with "realtime:"`);
  const config = (payload.config ?? {}) as Record<string, unknown>;
  if (typeof config !== 'object' || config === null) throw new JoinError('config must be an object');

  let claims: Claims;
  if (payload.access_token !== undefined && payload.access_token !== null)
    claims = await verifyToken(ctx, payload.access_token);
  else if (socketClaims) claims = socketClaims;
  else throw new JoinError('no valid access_token or apikey');
  if (isExpired(claims)) throw new JoinError('Token has expired');

  const broadcast = (config.broadcast ?? {}) as Record<string, unknown>;
  const requested = config.postgres_changes ?? [];
  if (!Array.isArray(requested)) throw new JoinError('config.postgres_changes must be an array');
  if (requested.length > MAX_BINDINGS_PER_JOIN) {
    throw new JoinError(`${requested.length} postgres_changes bindings in one join; at most ${MAX_BINDINGS_PER_JOIN}`);
  }
  const bindings = requested.map((raw) => parseBinding(feed, claims, raw));
  await checkFilterValuesInDatabase(ctx, feed, bindings);

  const isPrivate = config.private === true;
  const subTopic = topic.slice('realtime:'.length);
  if (isPrivate && !(await authorizer.canRead(claims, subTopic))) {
    // Hosted's words, and what to do about it.
    throw new JoinError(
      `You do not have permissions to read from this Channel topic: ${subTopic} (private channels need a SELECT policy on realtime.messages)`,
    );
  }
  return {
    topic,
    private: isPrivate,
    joinRef,
    claims,
    bindings,
    broadcastSelf: broadcast.self === true,
    broadcastAck: broadcast.ack === true,
  };
}

function parseBinding(feed: ChangeFeed, claims: Claims, raw: unknown): PostgresBinding {
  if (typeof raw !== 'object' || raw === null) throw new JoinError('each postgres_changes entry must be an object');
  const { event, schema, table, filter } = raw as Record<string, unknown>;
  if (typeof event !== 'string' || !BINDING_EVENTS.includes(event.toUpperCase() as BindingEvent)) {
    throw new JoinError(
      `postgres_changes event must be one of ${BINDING_EVENTS.join(', ')}, got ${JSON.stringify(event)}`,
    );
  }
  if (typeof schema !== 'string' || schema === '') throw new JoinError('postgres_changes needs a schema');
  if (table !== undefined && table !== null && typeof table !== 'string')
    throw new JoinError('postgres_changes table must be a string');
  if (filter !== undefined && filter !== null && typeof filter !== 'string')
    throw new JoinError('postgres_changes filter must be a string');
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
    const info = schema === '*' ? undefined : feed.table(schema, tableName);
    if (!info) throw new JoinError(`table ${schema}.${tableName} is not in the supabase_realtime publication`);
    if (!feed.canSelect(claims.role, info)) {
      throw new JoinError(
        `permission denied for table ${info.schema}.${info.name}: role ${claims.role} may not select it`,
      );
    }
    if (binding.filter) binding.conditions = checkedFilter(info, binding.filter);
  } else if (binding.filter) {
    throw new JoinError('a postgres_changes filter needs a table');
  }
  return binding;
}

/** Parses the filter and checks its columns and (where this file knows the type) its values, in memory. */
function checkedFilter(table: TableInfo, text: string): FilterCondition[] {
  const refuse = (message: string) => new JoinError(`invalid filter on ${table.schema}.${table.name}: ${message}`);
  let conditions: FilterCondition[];
  try {
    conditions = parseFilter(text);
    compileFilter(conditions, table.columnNames, 'r', 1);
  } catch (error) {
    throw refuse(error instanceof FilterError ? error.message : `filter "${text}": ${(error as Error).message}`);
  }
  for (const condition of conditions) {
    const type = table.columns.find((c) => c.name === condition.column)!.type;
    const check = checkFilterValue(type, condition.value);
    if (check.ok === false) throw refuse(`filter "${text}": ${check.message}`);
  }
  return conditions;
}

/**
 * Filter values of types checkFilterValue does not know (enums, dates, domains…): one cast per table in
 * one statement for the whole join, so that a value Postgres cannot read is refused here rather than
 * failing every delivery to its subscribers.
 */
async function checkFilterValuesInDatabase(
  ctx: StackContext,
  feed: ChangeFeed,
  bindings: PostgresBinding[],
): Promise<void> {
  const byTable = new Map<TableInfo, Record<string, string>[]>();
  for (const binding of bindings) {
    if (!binding.conditions || !binding.table) continue;
    const table = feed.table(binding.schema, binding.table)!;
    const unknown = binding.conditions.filter(
      (c) => checkFilterValue(table.columns.find((col) => col.name === c.column)!.type, c.value).ok === 'unknown',
    );
    if (unknown.length === 0) continue;
    byTable.set(table, [...(byTable.get(table) ?? []), Object.fromEntries(unknown.map((c) => [c.column, c.value]))]);
  }
  if (byTable.size === 0) return;
  const tables = [...byTable];
  const casts = tables.map(
    ([table], i) => `(select count(*) from jsonb_populate_recordset(null::${qualifiedName(table)}, $${i + 1}::jsonb))`,
  );
  try {
    await ctx.db.query(
      `select ${casts.join(', ')}`,
      tables.map(([, rows]) => JSON.stringify(rows)),
    );
  } catch (error) {
    const names = tables.map(([t]) => `${t.schema}.${t.name}`).join(', ');
    throw new JoinError(`invalid filter on ${names}: ${(error as Error).message}`);
  }
}

export function bindingMatches(binding: PostgresBinding, schema: string, table: string, type: ChangeType): boolean {
  return (
    (binding.schema === '*' || binding.schema === schema) &&
    (binding.table === undefined || binding.table === table) &&
    (binding.event === '*' || binding.event === type)
  );
}
