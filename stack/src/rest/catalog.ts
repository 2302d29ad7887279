import type { Db } from '../types.ts';
import { RestError } from './errors.ts';

export const EXPOSED_SCHEMA = 'public';

export interface FunctionInfo {
  name: string;
  /** Input arguments in declaration order, with the schema-qualified type to cast each value to. */
  args: { name: string; type: string; isArray: boolean; isJson: boolean }[];
  requiredCount: number;
  returnsSet: boolean;
  returnsVoid: boolean;
  /** STABLE or IMMUTABLE: PostgREST calls it in a READ ONLY transaction even by POST. */
  readOnly: boolean;
}

/**
 * What PostgREST calls the schema cache: the exposed schema's relations and functions. Reloaded
 * when a name is missing, so a migration applied while the stack runs is picked up.
 */
export class Catalog {
  private relations?: Map<string, string>;
  private functions = new Map<string, FunctionInfo[]>();
  private primaryKeys = new Map<string, string[]>();

  constructor(private readonly db: Db) {}

  async relation(name: string): Promise<void> {
    if (!this.relations?.has(name)) this.relations = await this.loadRelations();
    if (!this.relations.has(name)) {
      throw new RestError(404, '42P01', `relation "${EXPOSED_SCHEMA}.${name}" does not exist`, null, null);
    }
  }

  async primaryKey(table: string): Promise<string[]> {
    if (!this.primaryKeys.has(table)) {
      const { rows } = await this.db.query<{ attname: string }>(
        `select a.attname from pg_index i
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass and i.indisprimary
          order by array_position(i.indkey::int2[], a.attnum)`,
        [EXPOSED_SCHEMA, table],
      );
      this.primaryKeys.set(
        table,
        rows.map((r) => r.attname),
      );
    }
    return this.primaryKeys.get(table)!;
  }

  async functionsNamed(name: string): Promise<FunctionInfo[]> {
    let found = this.functions.get(name);
    if (!found) {
      found = await this.loadFunctions(name);
      if (found.length) this.functions.set(name, found);
    }
    return found;
  }

  private async loadRelations() {
    const { rows } = await this.db.query<{ relname: string; relkind: string }>(
      `select c.relname, c.relkind::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')`,
      [EXPOSED_SCHEMA],
    );
    return new Map(rows.map((r) => [r.relname, r.relkind]));
  }

  private async loadFunctions(name: string): Promise<FunctionInfo[]> {
    const { rows } = await this.db.query<{
      names: string[] | null;
      modes: string[] | null;
      types: string[] | null;
      categories: string[] | null;
      nargs: number;
      ndefaults: number;
      retset: boolean;
      rettype: string;
      volatility: string;
    }>(
      `select p.proargnames::text[] as names, p.proargmodes::text[] as modes, p.pronargs::int as nargs,
              p.pronargdefaults::int as ndefaults, p.proretset as retset, p.prorettype::regtype::text as rettype,
              p.provolatile::text as volatility,
              (select array_agg(quote_ident(tn.nspname) || '.' || quote_ident(t.typname) order by u.i)
                 from unnest(p.proargtypes::oid[]) with ordinality u(oid, i)
                 join pg_type t on t.oid = u.oid join pg_namespace tn on tn.oid = t.typnamespace) as types,
              (select array_agg(t.typcategory::text || t.typname order by u.i)
                 from unnest(p.proargtypes::oid[]) with ordinality u(oid, i)
                 join pg_type t on t.oid = u.oid) as categories
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`,
      [EXPOSED_SCHEMA, name],
    );
    return rows.map((r) => {
      // proargnames also lists OUT / TABLE columns; proargtypes lists only the inputs.
      const allNames = r.names ?? [];
      const inputNames = r.modes
        ? allNames.filter((_, i) => ['i', 'b', 'v'].includes(r.modes![i]))
        : allNames.slice(0, r.nargs);
      const types = r.types ?? [];
      const categories = r.categories ?? [];
      return {
        name,
        args: types.map((type, i) => ({
          name: inputNames[i] ?? '',
          type,
          isArray: categories[i]?.startsWith('A') ?? false,
          isJson: ['json', 'jsonb'].includes(categories[i]?.slice(1) ?? ''),
        })),
        requiredCount: r.nargs - r.ndefaults,
        returnsSet: r.retset,
        returnsVoid: r.rettype === 'void',
        readOnly: r.volatility !== 'v',
      };
    });
  }
}
