import { describe, expect, it } from 'vitest';
import { checkFilterValue } from '../../src/realtime/filter-values.ts';

describe('filter values checked in memory', () => {
  it('accepts what Postgres reads and refuses what it cannot, with its message', () => {
    expect(checkFilterValue('uuid', '6f1c2a52-0d7e-4a53-9b7e-3f1f7c1d2e3a')).toEqual({ ok: true });
    expect(checkFilterValue('uuid', 'not-a-uuid')).toEqual({
      ok: false,
      message: 'invalid input syntax for type uuid: "not-a-uuid"',
    });
    expect(checkFilterValue('int4', '42')).toEqual({ ok: true });
    expect(checkFilterValue('int4', '4.2')).toMatchObject({
      ok: false,
      message: expect.stringContaining('type integer'),
    });
    expect(checkFilterValue('int2', '40000')).toMatchObject({
      ok: false,
      message: expect.stringContaining('out of range for type smallint'),
    });
    expect(checkFilterValue('int8', '-9223372036854775808')).toEqual({ ok: true });
    expect(checkFilterValue('float8', '1e-3')).toEqual({ ok: true });
    expect(checkFilterValue('numeric', 'abc')).toMatchObject({ ok: false });
    expect(checkFilterValue('bool', 'TRUE')).toEqual({ ok: true });
    expect(checkFilterValue('bool', 'maybe')).toMatchObject({ ok: false });
    expect(checkFilterValue('jsonb', '{"a":1}')).toEqual({ ok: true });
    expect(checkFilterValue('jsonb', '{a')).toMatchObject({ ok: false });
    expect(checkFilterValue('text', 'anything at all')).toEqual({ ok: true });
    expect(checkFilterValue('text', 'nul\u0000')).toMatchObject({ ok: false });
    expect(checkFilterValue('timestamptz', 'now')).toEqual({ ok: 'unknown' });
    expect(checkFilterValue('agent_kind', 'x')).toEqual({ ok: 'unknown' });
  });
});
