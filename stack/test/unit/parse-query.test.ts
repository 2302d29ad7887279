import { describe, expect, it } from 'vitest';
import {
  parseFilter,
  parseList,
  parseOrder,
  parsePrefer,
  parseQuery,
  parseRange,
  parseSelect,
} from '../../src/rest/parse-query.ts';
import { RestError } from '../../src/rest/errors.ts';

const parseFails = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).code).toBe('PGRST100');
    expect((error as RestError).status).toBe(400);
    return;
  }
  throw new Error('expected a parse error');
};

describe('parseQuery', () => {
  it('splits reserved parameters from filters', () => {
    const q = parseQuery(new URLSearchParams('select=a,b&status=eq.running&order=a.desc&limit=5&offset=10'));
    expect(q.select).toEqual([{ column: 'a' }, { column: 'b' }]);
    expect(q.filters).toEqual([{ column: 'status', operator: 'eq', negated: false, value: 'running' }]);
    expect(q.order).toEqual([{ column: 'a', descending: true }]);
    expect(q).toMatchObject({ limit: 5, offset: 10 });
  });

  it('claims function argument names for GET /rpc', () => {
    const q = parseQuery(new URLSearchParams('p_kind=heartbeat&health=gt.5'), new Set(['p_kind']));
    expect([...q.named]).toEqual([['p_kind', 'heartbeat']]);
    expect(q.filters).toHaveLength(1);
  });

  it('reads on_conflict and the quoted columns list supabase-js sends', () => {
    const q = parseQuery(new URLSearchParams('on_conflict=agent_name&columns="agent_name","health"'));
    expect(q.onConflict).toEqual(['agent_name']);
    expect(q.columns).toEqual(['agent_name', 'health']);
  });

  it('rejects bad limits, logical filters and odd identifiers', () => {
    parseFails(() => parseQuery(new URLSearchParams('limit=-1')));
    parseFails(() => parseQuery(new URLSearchParams('or=(a.eq.1,b.eq.2)')));
    parseFails(() => parseQuery(new URLSearchParams('a;drop=eq.1')));
  });
});

describe('parseSelect', () => {
  it('reads *, columns and aliases', () => {
    expect(parseSelect('')).toEqual([{ column: '*' }]);
    expect(parseSelect('*,name:agent_name')).toEqual([{ column: '*' }, { column: 'agent_name', alias: 'name' }]);
  });
  it('refuses embedded resources and injection attempts', () => {
    parseFails(() => parseSelect('*,agent_events(*)'));
    parseFails(() => parseSelect('a"b'));
    parseFails(() => parseSelect('1;select'));
  });
});

describe('parseOrder', () => {
  it('reads direction and nulls placement for several columns', () => {
    expect(parseOrder('a.desc.nullslast,b,c.asc.nullsfirst')).toEqual([
      { column: 'a', descending: true, nulls: 'last' },
      { column: 'b', descending: false },
      { column: 'c', descending: false, nulls: 'first' },
    ]);
  });
  it('rejects unknown modifiers', () => parseFails(() => parseOrder('a.sideways')));
});

describe('parseFilter', () => {
  it('reads every operator and the not. prefix', () => {
    for (const op of ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike']) {
      expect(parseFilter('c', `${op}.x.y`)).toEqual({ column: 'c', operator: op, negated: false, value: 'x.y' });
    }
    expect(parseFilter('c', 'not.eq.1')).toMatchObject({ negated: true, operator: 'eq', value: '1' });
    expect(parseFilter('c', 'is.NULL')).toMatchObject({ operator: 'is', value: 'null' });
    expect(parseFilter('c', 'in.(a,"b,c")')).toMatchObject({ operator: 'in', value: ['a', 'b,c'] });
  });
  it('rejects unknown operators and bad is. values', () => {
    parseFails(() => parseFilter('c', 'within.5'));
    parseFails(() => parseFilter('c', 'eq'));
    parseFails(() => parseFilter('c', 'is.maybe'));
    parseFails(() => parseFilter('c', 'in.a,b'));
  });
});

describe('parseList', () => {
  it('handles quotes, escapes and empty lists', () => {
    expect(parseList('()')).toEqual([]);
    expect(parseList('(1,2)')).toEqual(['1', '2']);
    expect(parseList('("a \\"quoted\\" name","x)")')).toEqual(['a "quoted" name', 'x)']);
    parseFails(() => parseList('("open)'));
  });
});

describe('parseRange and parsePrefer', () => {
  it('turns a Range header into offset and limit', () => {
    expect(parseRange('0-9')).toEqual({ offset: 0, limit: 10 });
    expect(parseRange('5-')).toEqual({ offset: 5 });
    expect(parseRange('bytes')).toBeUndefined();
    expect(parseRange(undefined)).toBeUndefined();
  });
  it('reads comma-separated and repeated Prefer headers', () => {
    const prefs = parsePrefer(['return=representation, count=exact', 'missing=default']);
    expect(Object.fromEntries(prefs)).toEqual({ return: 'representation', count: 'exact', missing: 'default' });
  });
});
