// Who may see a change: Postgres decides, as the subscriber. One query per (subscriber claims,
// table, change type) covers a whole batch of changes and every filter those subscribers use.
import type { Claims, StackContext } from '../types.ts';
import { compileFilter, type FilterCondition } from './filter.ts';
import { primaryKeyMatch, qualifiedName, type Change, type ChangeType, type TableInfo } from './change-feed.ts';

/**
 * For each change: null if the subscriber may not see it, else one boolean per filter
 * (a null filter always matches).
 *
 * INSERT/UPDATE: the row must be visible through RLS (`select` on the table as the subscriber)
 * and filters are evaluated on the new row. DELETE: the row is gone, so, as hosted Realtime does,
 * only the SELECT privilege is checked and filters see the old primary key alone.
 */
export async function visibleMatches(
  ctx: StackContext,
  claims: Claims,
  table: TableInfo,
  type: ChangeType,
  changes: Change[],
  filters: (FilterCondition[] | null)[],
): Promise<(boolean[] | null)[]> {
  const records = changes.map((change) => (type === 'DELETE' ? change.old_record : change.record) ?? {});
  const params: unknown[] = [JSON.stringify(records)];
  const columns = filters.map((conditions, i) => {
    if (!conditions) return `true as f${i}`;
    const compiled = compileFilter(conditions, table.columnNames, 'r', params.length + 1);
    params.push(...compiled.params);
    return `${compiled.sql} as f${i}`;
  });
  const name = qualifiedName(table);
  const visible =
    type === 'DELETE'
      ? `has_table_privilege(${literal(name)}, 'select')`
      : `exists (select 1 from ${name} t where ${primaryKeyMatch(table, 't', 'r')})`;
  const sql = `select r.ordinality as n${columns.map((c) => `, ${c}`).join('')}
    from jsonb_populate_recordset(null::${name}, $1::jsonb) with ordinality as r
    where ${visible}`;

  const result: (boolean[] | null)[] = changes.map(() => null);
  try {
    const { rows } = await ctx.asRole(claims, (tx) => tx.query<Record<string, unknown>>(sql, params));
    for (const row of rows) {
      result[Number(row.n) - 1] = filters.map((_, i) => row[`f${i}`] === true);
    }
  } catch (error) {
    // No privilege at all (anon on a protected table) lands here too: the subscriber sees nothing.
    const code = (error as { code?: string }).code;
    if (code !== '42501') ctx.log('realtime', `visibility check on ${name} as ${claims.role} failed: ${String(error)}`);
  }
  return result;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
