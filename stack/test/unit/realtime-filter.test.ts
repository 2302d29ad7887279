import { describe, expect, it } from 'vitest';
import { postgresChangesFilter } from '@supabase/realtime-js';
import { compileFilter, FilterError, parseFilter } from '../../src/realtime/filter.ts';

const columns = new Set(['agent_id', 'kind', 'health', 'message']);

describe('parseFilter', () => {
  it('reads the classic single equality filter', () => {
    expect(parseFilter('agent_id=eq.6f1c0c1e-1111-4222-8333-944444444444')).toEqual([
      { column: 'agent_id', operator: 'eq', negated: false, values: ['6f1c0c1e-1111-4222-8333-944444444444'] },
    ]);
  });

  it('reads every comparison operator', () => {
    for (const op of ['neq', 'lt', 'lte', 'gt', 'gte', 'like', 'ilike', 'match', 'imatch', 'isdistinct']) {
      expect(parseFilter(`health=${op}.50`)[0]).toMatchObject({ operator: op, values: ['50'] });
    }
  });

  it('reads in-lists, quoted values, negation and several conditions as realtime-js builds them', () => {
    const built = postgresChangesFilter()
      .in('kind', ['error', 'warning'])
      .not('message', 'eq', 'a, (b) "c"')
      .is('health', null)
      .build();
    expect(parseFilter(built)).toEqual([
      { column: 'kind', operator: 'in', negated: false, values: ['error', 'warning'] },
      { column: 'message', operator: 'eq', negated: true, values: ['a, (b) "c"'] },
      { column: 'health', operator: 'is', negated: false, values: ['null'] },
    ]);
  });

  it('keeps commas inside quoted in-list items', () => {
    expect(parseFilter('message=in.("a,b",c)')[0].values).toEqual(['a,b', 'c']);
  });

  it.each([
    ['', /empty/],
    ['agent_id', /column=operator.value/],
    ['=eq.1', /column=operator.value/],
    ['health=between.1', /unknown operator "between"/],
    ['health=eq', /no value/],
    ['kind=in.error', /in needs a list/],
    ['kind=in.()', /at least one value/],
    ['health=is.maybe', /is takes null/],
    ['message=eq."open', /unterminated quote/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseFilter(text)).toThrow(FilterError);
    expect(() => parseFilter(text)).toThrow(message);
  });
});

describe('compileFilter', () => {
  it('turns conditions into parameterised SQL over the row alias', () => {
    const compiled = compileFilter(parseFilter('agent_id=eq.x,kind=in.(error,warning),health=not.gte.40'), columns, 'r', 2);
    expect(compiled.sql).toBe(
      'coalesce(("r"."agent_id" = $2) and ("r"."kind" in ($3, $4)) and not ("r"."health" >= $5), false)'.replace(/"r"\./g, 'r.'),
    );
    expect(compiled.params).toEqual(['x', 'error', 'warning', '40']);
  });

  it('compares text patterns as text and never parameterises is', () => {
    const compiled = compileFilter(parseFilter('message=ilike.*disk*,health=is.null'), columns, 't', 1);
    expect(compiled.sql).toBe('coalesce((t."message"::text ilike $1) and (t."health" is null), false)');
    expect(compiled.params).toEqual(['*disk*']);
  });

  it('refuses columns the table does not have, so column names never reach SQL unchecked', () => {
    expect(() => compileFilter(parseFilter('"x";drop table y=eq.1'), columns, 'r', 1)).toThrow(/does not exist/);
  });
});
