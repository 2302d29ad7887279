import { describe, expect, it } from 'vitest';
import { RestError, statusForSqlState, toRestError } from '../../src/rest/errors.ts';

describe('statusForSqlState (PostgREST mapping)', () => {
  it.each([
    ['42501', false, 403],
    ['42501', true, 401],
    ['23505', false, 409],
    ['23503', false, 409],
    ['23514', false, 400],
    ['23502', false, 400],
    ['22023', false, 400],
    ['22P02', false, 400],
    ['P0001', false, 400],
    ['PT401', false, 401],
    ['PT403', false, 403],
    ['PT404', false, 404],
    ['42883', false, 404],
    ['42P01', false, 404],
    ['42703', false, 400],
    ['08006', false, 503],
    ['53300', false, 503],
    ['40001', false, 500],
    ['XX000', false, 500],
    ['P0002', false, 500],
    ['25006', false, 405],
  ])('%s (anonymous: %s) → %i', (code, anonymous, status) => {
    expect(statusForSqlState(code, anonymous)).toBe(status);
  });
});

describe('toRestError', () => {
  it('keeps Postgres error fields in PostgREST shape', () => {
    const pgError = Object.assign(new Error('duplicate key'), {
      code: '23505',
      detail: 'Key (a)=(1) exists.',
      hint: undefined,
    });
    expect(toRestError(pgError, false)).toEqual({
      status: 409,
      body: { code: '23505', message: 'duplicate key', details: 'Key (a)=(1) exists.', hint: null },
      internal: false,
    });
  });
  it('passes RestErrors through', () => {
    expect(toRestError(new RestError(406, 'PGRST116', 'one row'), true)).toMatchObject({
      status: 406,
      body: { code: 'PGRST116' },
    });
  });
  it('hides the text of unexpected errors', () => {
    const result = toRestError(new TypeError('secret internals at /home/x'), false);
    expect(result).toEqual({
      status: 500,
      body: { code: 'PGRST000', message: 'internal server error', details: null, hint: null },
      internal: true,
    });
  });
});
