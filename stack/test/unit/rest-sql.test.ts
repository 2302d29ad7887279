import { describe, expect, it } from 'vitest';
import { quoteIdent as ident } from '../../src/db/quote.ts';
import { Params, condition, orderClause, selectList, whereClause } from '../../src/rest/sql.ts';
import { resolveFunction, toParam } from '../../src/rest/rpc.ts';
import { contentRange, readStatus } from '../../src/rest/read.ts';
import type { FunctionInfo } from '../../src/rest/catalog.ts';

describe('SQL fragments', () => {
  it('quotes identifiers and keeps values in parameters', () => {
    expect(ident('a"b')).toBe('"a""b"');
    const params = new Params();
    expect(
      whereClause(
        [
          { column: 'name', operator: 'eq', negated: false, value: "x'; drop table t; --" },
          { column: 'name', operator: 'like', negated: true, value: 'Blog*' },
          { column: 'id', operator: 'in', negated: false, value: ['1', '2'] },
          { column: 'gone', operator: 'is', negated: false, value: 'not_null' },
        ],
        params,
      ),
    ).toBe(' where "name" = $1 and not ("name" like $2) and "id" in ($3, $4) and "gone" is not null');
    expect(params.values).toEqual(["x'; drop table t; --", 'Blog%', '1', '2']);
  });
  it('renders an empty in-list as false', () => {
    expect(condition({ column: 'a', operator: 'in', negated: false, value: [] }, new Params())).toBe('false');
  });
  it('renders select lists and order terms', () => {
    expect(selectList([{ column: '*' }, { column: 'agent_name', alias: 'name' }])).toBe('*, "agent_name" as "name"');
    expect(
      orderClause([
        { column: 'a', descending: true, nulls: 'last' },
        { column: 'b', descending: false },
      ]),
    ).toBe(' order by "a" desc nulls last, "b" asc');
  });
});

describe('Content-Range and status', () => {
  it('writes ranges as PostgREST does', () => {
    expect(contentRange(0, 10, 42)).toBe('0-9/42');
    expect(contentRange(5, 2)).toBe('5-6/*');
    expect(contentRange(0, 0, 0)).toBe('*/0');
    expect(readStatus(10, 42)).toBe(206);
    expect(readStatus(3, 3)).toBe(200);
    expect(readStatus(3)).toBe(200);
  });
});

describe('rpc', () => {
  const fn = (args: string[], required: number): FunctionInfo => ({
    name: 'f',
    args: args.map((name) => ({ name, type: 'pg_catalog.text', isArray: false, isJson: false })),
    requiredCount: required,
    returnsSet: false,
    returnsVoid: false,
    readOnly: false,
  });
  it('picks the overload whose argument names fit', () => {
    const one = fn(['a'], 1);
    const two = fn(['a', 'b'], 2);
    expect(resolveFunction('f', [one, two], ['a', 'b'])).toBe(two);
    expect(resolveFunction('f', [one, two], ['a'])).toBe(one);
  });
  it('answers 404 PGRST202 for unknown names or missing required arguments', () => {
    expect(() => resolveFunction('f', [fn(['a'], 1)], ['z'])).toThrow(/Could not find the function public.f\(z\)/);
    expect(() => resolveFunction('f', [fn(['a'], 1)], [])).toThrow(/without parameters/);
  });
  it('turns JSON values into the text Postgres parses', () => {
    const plain = { isArray: false, isJson: false };
    expect(toParam(null, plain)).toBeNull();
    expect(toParam(42, plain)).toBe('42');
    expect(toParam(true, plain)).toBe('true');
    expect(toParam({ host: 'h' }, { isArray: false, isJson: true })).toBe('{"host":"h"}');
    expect(toParam('text', { isArray: false, isJson: true })).toBe('"text"');
    expect(toParam(['a', 'b"c', null], { isArray: true, isJson: false })).toBe('{"a","b\\"c",NULL}');
  });
});
