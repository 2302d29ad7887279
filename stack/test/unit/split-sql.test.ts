import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
  it('keeps $$ bodies whole in a migration', () => {
    const migration = readFileSync(new URL('../fixtures/migration.sql', import.meta.url), 'utf8');
    const statements = splitSql(migration);
    expect(statements.length).toBe(7);
    const claim = statements.find((s) => s.includes('create function public.claim_job('));
    expect(claim).toMatch(/end \$\$$/);
    expect(statements.find((s) => s.includes('public.finish_job('))).toMatch(/\$body\$$/);
    expect(statements.find((s) => s.includes('do $outer$'))).toMatch(/end \$fn\$;\n {2}end if;\nend \$outer\$$/);
    expect(statements.at(-1)).toBe(`select "state" from public.jobs where note = 'it''s; fine'`);
  });
});
