import { describe, expect, it } from 'vitest';
import { postgresChangesFilter } from '@supabase/realtime-js';
import { compileFilter, FilterError, parseFilter } from '../../src/realtime/filter.ts';

const columns = new Set(['agent_id', 'kind', 'health', 'message']);

describe('parseFilter', () => {
  it('reads the classic single equality filter', () => {
    expect(parseFilter('agent_id=eq.6f1c0c1e-1111-4222-8333-944444444444')).toEqual([
      { column: 'agent_id', operator: 'eq', value: '6f1c0c1e-1111-4222-8333-944444444444' },
    ]);
  });

  it('reads quoted values and several conditions as realtime-js builds them', () => {
    const built = postgresChangesFilter().eq('kind', 'error').eq('message', 'a, (b) "c"').build();
    expect(parseFilter(built)).toEqual([
      { column: 'kind', operator: 'eq', value: 'error' },
      { column: 'message', operator: 'eq', value: 'a, (b) "c"' },
    ]);
  });

  it("refuses the operators it does not take, hosted Realtime's included, with a reason", () => {
    for (const op of ['neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct']) {
      expect(() => parseFilter(`health=${op}.50`)).toThrow(
        `"${op}" is not supported by the embedded stack, which filters with eq only`,
      );
    }
    expect(() => parseFilter(postgresChangesFilter().not('health', 'eq', 1).build())).toThrow(/"not" is not supported/);
  });

  it.each([
    ['', /empty/],
    ['agent_id', /column=operator.value/],
    ['=eq.1', /column=operator.value/],
    ['health=between.1', /unknown operator "between"/],
    ['health=eq', /no value/],
    ['message=eq."open', /unterminated quote/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseFilter(text)).toThrow(FilterError);
    expect(() => parseFilter(text)).toThrow(message);
  });
});

describe('compileFilter', () => {
  it('turns conditions into parameterised SQL over the row alias', () => {
    const compiled = compileFilter(parseFilter('agent_id=eq.x,kind=eq.error'), columns, 'r', 2);
    expect(compiled.sql).toBe('coalesce((r."agent_id" = $2) and (r."kind" = $3), false)');
    expect(compiled.params).toEqual(['x', 'error']);
  });

  it('refuses columns the table does not have, so column names never reach SQL unchecked', () => {
    expect(() => compileFilter(parseFilter('"x";drop table y=eq.1'), columns, 'r', 1)).toThrow(/does not exist/);
  });
});
