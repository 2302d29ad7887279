import type { AgentOverviewRow, CompactFleet } from '@agent-status/domain';
import { describe, expect, it } from 'vitest';
import { rowsOfCompactFleet } from '../src/fleet/compact.ts';
import { readFleet } from '../src/fleet/read.ts';
import type { ProjectClient } from '../src/invoke.ts';

const SERVER_TIME = '2026-12-07T06:00:00+00:00';
const row = (name: string, extra: Partial<AgentOverviewRow> = {}) =>
  ({
    id: `id-${name}`,
    agent_name: name,
    status: 'running',
    health: 90,
    last_error: null,
    server_time: SERVER_TIME,
    ...extra,
  }) as AgentOverviewRow;

/** The compact form of rows, as fleet_overview_compact() builds it. */
function compact(rows: AgentOverviewRow[]): CompactFleet {
  const columns = Object.keys(rows[0] ?? row('x')).filter((c) => c !== 'server_time') as CompactFleet['columns'];
  return { server_time: SERVER_TIME, columns, rows: rows.map((r) => columns.map((c) => r[c] as never)) };
}

describe('rowsOfCompactFleet', () => {
  it('gives back the rows fleet_overview() answers, server_time in each, nulls kept', () => {
    const rows = [row('alpha'), row('beta', { last_error: 'boom', health: 30 })];
    expect(rowsOfCompactFleet(compact(rows))).toEqual({ ok: true, value: rows });
  });

  it('an empty fleet is an empty list', () => {
    expect(rowsOfCompactFleet({ server_time: SERVER_TIME, columns: ['id'], rows: [] })).toEqual({
      ok: true,
      value: [],
    });
  });

  it.each([
    ['no answer', null],
    ['no column names', { server_time: SERVER_TIME, rows: [] }],
    ['column names that are not text', { server_time: SERVER_TIME, columns: [1], rows: [] }],
    ['no rows', { server_time: SERVER_TIME, columns: ['id'] }],
    ['no server_time', { columns: ['id'], rows: [] }],
    ['a row shorter than the header', { server_time: SERVER_TIME, columns: ['id', 'agent_name'], rows: [['a']] }],
    ['a row that is not an array', { server_time: SERVER_TIME, columns: ['id'], rows: [{ id: 'a' }] }],
  ])('a malformed answer (%s) is a clear failure, not half-filled rows', (_why, answer) => {
    const result = rowsOfCompactFleet(answer as unknown as CompactFleet);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('malformed_answer');
      expect(result.error.message).toMatch(/^fleet_overview_compact\(\) answered /);
    }
  });
});

type Answer = { data: unknown; error: { message: string; code?: string } | null; status: number };
const NOT_FOUND: Answer = {
  data: null,
  error: { message: 'Could not find the function', code: 'PGRST202' },
  status: 404,
};

/** A project client whose RPCs answer as given (PGRST202 for the others) and whose view read answers `view`. */
function project(rpcs: Record<string, Answer>, view: AgentOverviewRow[] = []) {
  const called: string[] = [];
  const query = {
    select: () => query,
    order: () => query,
    range: async () => ({ data: view, error: null, count: view.length, status: 200 }),
  };
  const client = {
    rpc: async (name: string) => {
      called.push(name);
      return rpcs[name] ?? NOT_FOUND;
    },
    from: () => {
      called.push('agent_overview');
      return query;
    },
  } as unknown as ProjectClient;
  return { client, called };
}

describe('readFleet', () => {
  const rows = [row('alpha'), row('beta')];

  it('with columns, asks for those and gives rows of those columns (and server_time) only', async () => {
    const asked: unknown[] = [];
    const slim = rows.map(({ id, agent_name, server_time }) => ({ id, agent_name, server_time }) as AgentOverviewRow);
    const { client } = project({ fleet_overview_compact: { data: compact(slim), error: null, status: 200 } });
    const rpc = client.rpc.bind(client);
    (client as { rpc: unknown }).rpc = (name: string, args: unknown) => (asked.push(args), rpc(name as never));
    const read = await readFleet(client, ['id', 'agent_name']);
    expect(read).toEqual({ ok: true, value: slim });
    expect(asked).toEqual([{ p_columns: ['id', 'agent_name'] }]);
  });

  it('an answer without a column asked for is a clear failure', async () => {
    const slim = rows.map(({ id, server_time }) => ({ id, server_time }) as AgentOverviewRow);
    const { client } = project({ fleet_overview_compact: { data: compact(slim), error: null, status: 200 } });
    const read = await readFleet(client, ['id', 'health']);
    expect(read).toEqual({
      ok: false,
      error: { code: 'malformed_answer', message: 'fleet_overview_compact() answered no column health', status: 200 },
    });
  });

  it('with columns, a database without them answers whole rows (fleet_overview())', async () => {
    const { client, called } = project({ fleet_overview: { data: rows, error: null, status: 200 } });
    expect(await readFleet(client, ['id'])).toEqual({ ok: true, value: rows });
    expect(called).toEqual(['fleet_overview_compact', 'fleet_overview']);
  });

  it('reads the compact fleet in one request', async () => {
    const { client, called } = project({ fleet_overview_compact: { data: compact(rows), error: null, status: 200 } });
    expect(await readFleet(client)).toEqual({ ok: true, value: rows });
    expect(called).toEqual(['fleet_overview_compact']);
  });

  it('a database that predates fleet_overview_compact() is read with fleet_overview()', async () => {
    const { client, called } = project({ fleet_overview: { data: rows, error: null, status: 200 } });
    expect(await readFleet(client)).toEqual({ ok: true, value: rows });
    expect(called).toEqual(['fleet_overview_compact', 'fleet_overview']);
  });

  it('one that predates both is read in pages of the view', async () => {
    const { client, called } = project({}, rows);
    expect(await readFleet(client)).toEqual({ ok: true, value: rows });
    expect(called).toEqual(['fleet_overview_compact', 'fleet_overview', 'agent_overview']);
  });

  it('a refusal of the compact read is the answer (no second read)', async () => {
    const refused: Answer = { data: null, error: { message: 'permission denied', code: '42501' }, status: 401 };
    const { client, called } = project({ fleet_overview_compact: refused });
    expect(await readFleet(client)).toEqual({
      ok: false,
      error: { code: '42501', message: 'permission denied', status: 401 },
    });
    expect(called).toEqual(['fleet_overview_compact']);
  });
});
