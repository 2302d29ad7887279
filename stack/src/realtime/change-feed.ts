// Change capture without logical replication (PGlite has none): AFTER statement triggers on every
// table of the supabase_realtime publication NOTIFY each changed row, and the feed LISTENs. Installed in a
// stack-only schema `_realtime`, never by a migration, so hosted Supabase never sees it.
import type { StackContext } from '../types.ts';
import { quoteIdent, quoteQualified } from '../db/quote.ts';

export const CHANGES_CHANNEL = 'realtime_changes';
const PUBLICATION = 'supabase_realtime';
/**
 * How often the publication and the API roles' SELECT privileges on its tables are re-read. A change to
 * the publication (a migration applied while the stack runs) re-creates the capture triggers: that DDL
 * runs on this schedule only, never because a client asked for a table.
 */
const PUBLICATION_CHECK_MS = 2_000;
/** The roles whose privileges are cached (what a JWT may become, as.role.ts). */
const API_ROLES = ['anon', 'authenticated', 'service_role'];

export type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE';
export type Row = Record<string, unknown>;

export interface Change {
  schema: string;
  table: string;
  type: ChangeType;
  commit_timestamp: string;
  /** The new row (INSERT/UPDATE); only its primary key when record_truncated. */
  record: Row | null;
  /** The old row's primary key (UPDATE/DELETE), as hosted Realtime sends for RLS tables. */
  old_record: Row | null;
  record_truncated?: boolean;
}

export interface TableInfo {
  schema: string;
  name: string;
  /** In realtime-js's shape: it converts record values by these type names. */
  columns: { name: string; type: string }[];
  columnNames: ReadonlySet<string>;
  primaryKey: string[];
}

export const tableKey = (schema: string, table: string) => `${schema}.${table}`;
export const qualifiedName = (table: { schema: string; name: string }) => quoteQualified(table.schema, table.name);

/** `a.k1 = b.k1 and a.k2 = b.k2` over the primary key. */
export function primaryKeyMatch(table: TableInfo, left: string, right: string): string {
  return table.primaryKey
    .map((column) => `${left}.${quoteIdent(column)} = ${right}.${quoteIdent(column)}`)
    .join(' and ');
}

// Statement-level triggers with transition tables: one set-based pass per statement, five times
// cheaper than a row trigger when one statement touches 1,000 rows. One NOTIFY per row; NOTIFY payloads
// stop at 8000 bytes, so above that the message carries the key and the feed reads the row.
// UPDATE's old key is taken from the new row: primary keys of published tables do not change here.
/** NOTIFYs every row of `source` (columns rec: the new row or null, old_key: the old key or null). */
const notifyEach = (source: string) => `
  perform pg_notify('${CHANGES_CHANNEL}', case when octet_length(m.full) <= 7900 then m.full else jsonb_build_object(
      'schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op, 'commit_timestamp', stamp,
      'record', (select jsonb_object_agg(k, c.rec -> k) from unnest(tg_argv) k), 'old_record', c.old_key,
      'record_truncated', true)::text end)
    from (${source}) c,
    lateral (select jsonb_build_object('schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op,
      'commit_timestamp', stamp, 'record', c.rec, 'old_record', c.old_key)::text as full) m;`;

const CAPTURE_SQL = [
  `create schema if not exists _realtime`,
  `grant usage on schema _realtime to anon, authenticated, service_role`,
  // An earlier row-level version; cascade removes its triggers.
  `drop function if exists _realtime.capture_change() cascade`,
  `create or replace function _realtime.capture_changes() returns trigger
   language plpgsql set search_path = '' as $$
   declare
     stamp text := to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
   begin
     if tg_op = 'INSERT' then
       ${notifyEach('select to_jsonb(n) as rec, null::jsonb as old_key from new_rows n')}
     elsif tg_op = 'UPDATE' then
       ${notifyEach('select r.rec, (select jsonb_object_agg(k, r.rec -> k) from unnest(tg_argv) k) as old_key from (select to_jsonb(n) as rec from new_rows n) r')}
     else
       ${notifyEach('select null::jsonb as rec, (select jsonb_object_agg(k, to_jsonb(o) -> k) from unnest(tg_argv) k) as old_key from old_rows o')}
     end if;
     return null;
   end $$`,
  `grant execute on function _realtime.capture_changes() to anon, authenticated, service_role`,
];

const TRIGGERS = [
  { name: 'realtime_capture_inserts', on: 'insert', referencing: 'new table as new_rows' },
  { name: 'realtime_capture_updates', on: 'update', referencing: 'new table as new_rows' },
  { name: 'realtime_capture_deletes', on: 'delete', referencing: 'old table as old_rows' },
];

export interface ChangeFeed {
  /** A published table, or undefined. Never touches the database (see PUBLICATION_CHECK_MS). */
  table(schema: string, name: string): TableInfo | undefined;
  /** Published tables of a schema. */
  tablesIn(schema: string): TableInfo[];
  knownTable(schema: string, name: string): TableInfo | undefined;
  /** Whether `role` may select the published table (has_table_privilege, cached; false for other roles). */
  canSelect(role: string, table: TableInfo): boolean;
  close(): Promise<void>;
}

export async function createChangeFeed(
  ctx: StackContext,
  onChanges: (changes: Change[]) => Promise<void>,
): Promise<ChangeFeed> {
  const tables = new Map<string, TableInfo>();
  let selectable = new Set<string>();
  let fingerprint = '';
  for (const statement of CAPTURE_SQL) await ctx.db.query(statement);
  await check();
  let checking: Promise<void> = Promise.resolve();
  let closed = false;
  const timer = setInterval(() => {
    // One check at a time; a slow one delays the next instead of piling up.
    checking = checking
      .then(() => (closed ? undefined : check()))
      .catch((error: unknown) => ctx.log('realtime', `re-reading the publication failed: ${String(error)}`));
  }, PUBLICATION_CHECK_MS);
  timer.unref();

  // Notifications arrive one by one; changes that arrive together are handled as one batch (one
  // RLS query per subscriber group and table), in order, one batch at a time.
  let pending: Change[] = [];
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();
  const unlisten = await ctx.db.listen(CHANGES_CHANNEL, (payload) => {
    try {
      pending.push(JSON.parse(payload) as Change);
    } catch {
      ctx.log('realtime', `ignoring malformed change notification: ${payload.slice(0, 200)}`);
      return;
    }
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batch = pending;
      pending = [];
      chain = chain
        .then(() => completeTruncated(batch))
        .then(() => onChanges(batch))
        .catch((error: unknown) => ctx.log('realtime', `delivering changes failed: ${String(error)}`));
    });
  });

  /** Re-creates the capture triggers when the publication changed, and re-reads the privileges. */
  async function check(): Promise<void> {
    const { rows } = await ctx.db.query<{ fingerprint: string | null }>(
      `
      select md5(string_agg(pt.schemaname || '.' || pt.tablename || ':' ||
               coalesce((select string_agg(a.attname || ' ' || a.atttypid::text, ',' order by a.attnum)
                           from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '') || ':' ||
               coalesce((select i.indkey::text from pg_index i where i.indrelid = c.oid and i.indisprimary), ''),
               ';' order by pt.schemaname, pt.tablename)) as fingerprint
        from pg_publication_tables pt
        join pg_namespace n on n.nspname = pt.schemaname
        join pg_class c on c.relnamespace = n.oid and c.relname = pt.tablename
       where pt.pubname = $1`,
      [PUBLICATION],
    );
    const current = rows[0]?.fingerprint ?? '';
    if (current !== fingerprint) {
      await syncCapture();
      fingerprint = current;
    }
    const { rows: privileges } = await ctx.db.query<{ role: string; schema: string; name: string }>(
      `
      select r.rolname::text as role, pt.schemaname::text as schema, pt.tablename::text as name
        from pg_publication_tables pt
        join pg_namespace n on n.nspname = pt.schemaname
        join pg_class c on c.relnamespace = n.oid and c.relname = pt.tablename
        join pg_roles r on r.rolname = any($2::text[])
       where pt.pubname = $1 and has_table_privilege(r.oid, c.oid, 'select')`,
      [PUBLICATION, API_ROLES],
    );
    selectable = new Set(privileges.map((p) => `${p.role}\u0000${tableKey(p.schema, p.name)}`));
  }

  async function syncCapture(): Promise<void> {
    const { rows } = await ctx.db.query<{
      schema: string;
      name: string;
      columns: TableInfo['columns'];
      primary_key: string[] | null;
    }>(
      `
      select pt.schemaname as schema, pt.tablename as name,
        (select json_agg(json_build_object('name', a.attname, 'type', t.typname) order by a.attnum)
           from pg_attribute a join pg_type t on t.oid = a.atttypid
          where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
        (select array_agg(a.attname::text order by array_position(i.indkey::int2[], a.attnum))
           from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey::int2[])
          where i.indrelid = c.oid and i.indisprimary) as primary_key
      from pg_publication_tables pt
      join pg_namespace n on n.nspname = pt.schemaname
      join pg_class c on c.relnamespace = n.oid and c.relname = pt.tablename
      where pt.pubname = $1`,
      [PUBLICATION],
    );
    const next = new Map<string, TableInfo>();
    for (const row of rows) {
      if (!row.primary_key?.length) {
        ctx.log('realtime', `${row.schema}.${row.name} has no primary key; its changes are not captured`);
        continue;
      }
      const info: TableInfo = {
        schema: row.schema,
        name: row.name,
        columns: row.columns,
        columnNames: new Set(row.columns.map((c) => c.name)),
        primaryKey: row.primary_key,
      };
      next.set(tableKey(info.schema, info.name), info);
      const keyArgs = info.primaryKey.map((column) => `'${column.replace(/'/g, "''")}'`).join(', ');
      for (const trigger of TRIGGERS) {
        await ctx.db.query(
          `create or replace trigger ${trigger.name} after ${trigger.on} on ${qualifiedName(info)}
           referencing ${trigger.referencing} for each statement execute function _realtime.capture_changes(${keyArgs})`,
        );
      }
    }
    tables.clear();
    for (const [key, info] of next) tables.set(key, info);
    // Tables that left the publication stop being captured.
    const { rows: stale } = await ctx.db.query<{ schema: string; name: string; trigger: string }>(`
      select n.nspname as schema, c.relname as name, tg.tgname as trigger
        from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_namespace n on n.oid = c.relnamespace
       where tg.tgfoid = '_realtime.capture_changes'::regproc`);
    for (const table of stale) {
      if (!tables.has(tableKey(table.schema, table.name))) {
        await ctx.db.query(`drop trigger if exists ${quoteIdent(table.trigger)} on ${qualifiedName(table)}`);
      }
    }
  }

  async function completeTruncated(batch: Change[]): Promise<void> {
    for (const change of batch) {
      const info = tables.get(tableKey(change.schema, change.table));
      if (!change.record_truncated || !info || !change.record) continue;
      const { rows } = await ctx.db.query<{ row: Row }>(
        `select to_jsonb(t) as row from ${qualifiedName(info)} t
           join jsonb_populate_record(null::${qualifiedName(info)}, $1::jsonb) k on ${primaryKeyMatch(info, 't', 'k')}`,
        [JSON.stringify(change.record)],
      );
      if (rows[0]) change.record = rows[0].row;
      delete change.record_truncated;
    }
  }

  return {
    table: (schema, name) => tables.get(tableKey(schema, name)),
    tablesIn: (schema) => [...tables.values()].filter((t) => schema === '*' || t.schema === schema),
    knownTable: (schema, name) => tables.get(tableKey(schema, name)),
    canSelect: (role, table) => selectable.has(`${role}\u0000${tableKey(table.schema, table.name)}`),
    async close() {
      closed = true;
      clearInterval(timer);
      await checking;
      await unlisten();
      await chain;
    },
  };
}
