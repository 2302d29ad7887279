// Delivers captured changes to subscribed channels: event/table/filter match and RLS decided by
// Postgres per group of subscribers sharing the same claims, then one postgres_changes message
// per change and channel, in commit order.
import type { Claims, StackContext } from '../types.ts';
import type { Change, ChangeFeed } from './change-feed.ts';
import { bindingMatches, isExpired, type Channel, type PostgresBinding } from './channel.ts';
import type { Connection } from './connection.ts';
import { visibleMatches } from './rls-filter.ts';

interface Subscriber {
  connection: Connection;
  channel: Channel;
}

/** Claims that can change what RLS lets through; exp/iat cannot, so tokens refreshed by the same user share a group. */
function claimsKey(claims: Claims): string {
  const { exp: _exp, iat: _iat, ...rest } = claims;
  return JSON.stringify(sortKeys(rest));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

export async function deliverChanges(
  ctx: StackContext,
  feed: ChangeFeed,
  subscribers: Subscriber[],
  changes: Change[],
): Promise<void> {
  // Tokens that expired since the join stop the channel before anything else reaches it.
  const live = subscribers.filter(({ connection, channel }) => {
    if (!isExpired(channel.claims)) return true;
    connection.closeChannel(channel, 'error', 'Token has expired');
    return false;
  });
  if (live.length === 0) return;

  // ids[change index] → channel → binding ids
  const ids: Map<Subscriber, number[]>[] = changes.map(() => new Map());
  const groups = new Map<string, number[]>();
  changes.forEach((change, i) => {
    const key = `${change.schema}\u0000${change.table}\u0000${change.type}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });

  for (const indexes of groups.values()) {
    const { schema, table: tableName, type } = changes[indexes[0]];
    const table = feed.knownTable(schema, tableName);
    if (!table) continue;
    const interested = new Map<
      string,
      { claims: Claims; pairs: { subscriber: Subscriber; binding: PostgresBinding }[] }
    >();
    for (const subscriber of live) {
      for (const binding of subscriber.channel.bindings) {
        if (!bindingMatches(binding, schema, tableName, type)) continue;
        const key = claimsKey(subscriber.channel.claims);
        const group = interested.get(key) ?? { claims: subscriber.channel.claims, pairs: [] };
        group.pairs.push({ subscriber, binding });
        interested.set(key, group);
      }
    }
    for (const { claims, pairs } of interested.values()) {
      const filterTexts = [...new Set(pairs.map((p) => p.binding.filter ?? ''))];
      const filters = filterTexts.map((text) =>
        text === '' ? null : (pairs.find((p) => p.binding.filter === text)!.binding.conditions ?? null),
      );
      const groupChanges = indexes.map((i) => changes[i]);
      const matches = await visibleMatches(ctx, claims, table, type, groupChanges, filters);
      matches.forEach((match, j) => {
        if (!match) return;
        for (const { subscriber, binding } of pairs) {
          if (!match[filterTexts.indexOf(binding.filter ?? '')]) continue;
          const perChannel = ids[indexes[j]];
          perChannel.set(subscriber, [...(perChannel.get(subscriber) ?? []), binding.id]);
        }
      });
    }
  }

  changes.forEach((change, i) => {
    if (ids[i].size === 0) return;
    const table = feed.knownTable(change.schema, change.table)!;
    const data: Record<string, unknown> = {
      schema: change.schema,
      table: change.table,
      commit_timestamp: change.commit_timestamp,
      type: change.type,
      columns: table.columns,
      errors: null,
    };
    if (change.type !== 'DELETE') data.record = change.record;
    if (change.type !== 'INSERT') data.old_record = change.old_record ?? {};
    for (const [{ connection, channel }, bindingIds] of ids[i]) {
      // The channel may have been left while Postgres was deciding.
      if (connection.channels.get(channel.topic) !== channel) continue;
      connection.push(channel, 'postgres_changes', { ids: bindingIds, data });
    }
  });
}
