import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { splitSql } from '../../src/db/split-sql.ts';

describe('splitSql', () => {
  it('splits on semicolons outside quotes, dollar quotes and comments', () => {
    const sql = `create table a (x text default 'a;b'); -- a comment; with a semicolon
/* block; comment */ create function f() returns int language plpgsql as $fn$ begin return 1; end $fn$;
select "odd;name" from a;;
-- trailing comment only`;
    expect(splitSql(sql)).toEqual([
      "create table a (x text default 'a;b')",
      '-- a comment; with a semicolon\n/* block; comment */ create function f() returns int language plpgsql as $fn$ begin return 1; end $fn$',
      'select "odd;name" from a',
    ]);
  });
  it('keeps $$ bodies whole in the project migration', () => {
    const dir = new URL('../../../supabase/migrations/', import.meta.url);
    const migration = readdirSync(dir).sort().map((file) => readFileSync(new URL(file, dir), 'utf8')).join('\n');
    const statements = splitSql(migration);
    expect(statements.length).toBeGreaterThan(40);
    const report = statements.find((s) => s.includes('create function public.agent_report('));
    expect(report).toMatch(/end \$\$$/);
  });
});
