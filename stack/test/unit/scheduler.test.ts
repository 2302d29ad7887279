import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startScheduler } from '../../src/cron/scheduler.ts';
import { parseSchedule } from '../../src/cron/schedule.ts';
import type { CronJob } from '../../src/cron/jobs.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { Db, Queryable } from '../../src/types.ts';

const job = (overrides: Partial<CronJob> & { schedule: string; command: string }): CronJob => ({
  id: '1',
  name: 'job',
  username: 'postgres',
  ownUser: true,
  ...overrides,
});

/** A database holding `jobs` in cron.job; every other statement is a job's command, run by `execute`. */
function fakeDb(jobs: () => CronJob[], execute: (sql: string) => Promise<void> = async () => {}, pgCron = false) {
  const statements: { sql: string; prelude?: string }[] = [];
  const query = async (sql: string, prelude?: string) => {
    if (sql.includes('pg_extension')) return { rows: [{ present: pgCron }] };
    if (sql.includes('from cron.job')) return { rows: jobs() };
    if (sql.includes('cron.job_run_details')) return { rows: [] };
    statements.push({ sql, prelude });
    await execute(sql);
    return { rows: [] };
  };
  const db = {
    kind: 'pglite',
    query: (sql: string) => query(sql),
    transaction: (fn: (tx: Queryable) => Promise<unknown>, options?: { prelude?: string }) =>
      fn({ query: (sql: string) => query(sql, options?.prelude) as never }),
    listen: async () => async () => undefined,
    close: async () => undefined,
  } as unknown as Db;
  return { db, statements, commands: () => statements.map((s) => s.sql) };
}

describe('startScheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('runs a cron.job command on its schedule, never overlapping, and keeps going after failures', async () => {
    vi.useFakeTimers();
    const command = 'select jobs.tick()';
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const logs: string[] = [];
    const { db, commands } = fakeDb(
      () => [job({ name: 'tick', schedule: '10 seconds', command })],
      async () => {
        calls++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 250)); // slower than the interval
        inFlight--;
        if (calls === 1) throw new Error('database busy');
      },
    );
    const scheduler = await startScheduler({
      db,
      intervalOverrides: { tick: 100 },
      log: (scope, message) => logs.push(`${scope}: ${message}`),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = scheduler.stop(); // waits for the run in flight
    await vi.advanceTimersByTimeAsync(300);
    await stopping;
    expect(maxInFlight).toBe(1);
    expect(commands().length).toBeGreaterThanOrEqual(2);
    expect(new Set(commands())).toEqual(new Set([command]));
    expect(logs).toEqual([`scheduler: ${command} failed: database busy`]);
    const after = commands().length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commands().length).toBe(after);
  });

  it("runs 'N seconds' jobs every N seconds", async () => {
    vi.useFakeTimers();
    const { db, commands } = fakeDb(() => [job({ schedule: '2 seconds', command: 'select 2' })]);
    const scheduler = await startScheduler({ db, log: () => {} });
    await vi.advanceTimersByTimeAsync(6_500);
    await scheduler.stop();
    expect(commands()).toEqual(['select 2', 'select 2', 'select 2']);
  });

  it('runs five-field schedules at their minute, in UTC', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T09:16:30Z') });
    const ran: string[] = [];
    const { db } = fakeDb(
      () => [job({ schedule: '17 * * * *', command: 'select prune()' })],
      async () => void ran.push(new Date().toISOString()),
    );
    const scheduler = await startScheduler({ db, log: () => {} });
    await vi.advanceTimersByTimeAsync(2 * 3600_000);
    await scheduler.stop();
    expect(ran).toEqual(['2026-11-27T09:17:00.000Z', '2026-11-27T10:17:00.000Z']);
  });

  it('picks up jobs scheduled, changed and unscheduled while it runs', async () => {
    vi.useFakeTimers();
    let table: CronJob[] = [];
    const { db, commands } = fakeDb(() => table);
    const scheduler = await startScheduler({ db, log: () => {} });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(commands()).toEqual([]);

    table = [job({ id: '7', schedule: '1 seconds', command: 'select 1' })];
    await vi.advanceTimersByTimeAsync(3_000);
    const afterAdd = commands().length;
    expect(afterAdd).toBeGreaterThanOrEqual(1);

    table = [job({ id: '7', schedule: '1 seconds', command: 'select 2' })];
    await vi.advanceTimersByTimeAsync(3_000);
    expect(commands().slice(afterAdd).length).toBeGreaterThanOrEqual(1);
    expect(commands().at(-1)).toBe('select 2');

    table = [];
    await vi.advanceTimersByTimeAsync(1_000); // the next read of cron.job
    const afterRemove = commands().length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(commands().length).toBe(afterRemove);
    await scheduler.stop();
  });

  it("runs another user's job as that user, in a transaction", async () => {
    vi.useFakeTimers();
    const { db, statements } = fakeDb(() => [
      job({ schedule: '1 seconds', command: 'select 1', username: 'app "owner"', ownUser: false }),
    ]);
    const scheduler = await startScheduler({ db, log: () => {} });
    await vi.advanceTimersByTimeAsync(1_500);
    await scheduler.stop();
    expect(statements).toEqual([{ sql: 'select 1', prelude: 'set local role "app ""owner"""' }]);
  });

  it('logs a schedule it cannot read once and runs nothing for it', async () => {
    vi.useFakeTimers();
    const logs: string[] = [];
    const { db, commands } = fakeDb(() => [job({ name: 'odd', schedule: '90 seconds', command: 'select 1' })]);
    const scheduler = await startScheduler({ db, log: (_, message) => logs.push(message) });
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.stop();
    expect(commands()).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/job odd: schedule "90 seconds"/);
  });

  it('runs nothing where the real pg_cron is installed, and says so', async () => {
    vi.useFakeTimers();
    const logs: string[] = [];
    const { db, commands } = fakeDb(() => [job({ schedule: '1 seconds', command: 'select 1' })], undefined, true);
    const scheduler = await startScheduler({ db, log: (_, message) => logs.push(message) });
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.stop();
    expect(commands()).toEqual([]);
    expect(logs).toEqual([expect.stringMatching(/pg_cron is installed/)]);
  });
});

describe('parseSchedule', () => {
  it("takes what pg_cron takes: '1 seconds'…'59 seconds' and five fields", () => {
    const from = new Date('2026-11-27T00:00:00Z');
    expect(parseSchedule('10 seconds')!(from)?.toISOString()).toBe('2026-11-27T00:00:10.000Z');
    expect(parseSchedule(' 1 second ')!(from)?.toISOString()).toBe('2026-11-27T00:00:01.000Z');
    expect(parseSchedule('*/5 * * * *')!(from)?.toISOString()).toBe('2026-11-27T00:05:00.000Z');
    expect(parseSchedule('0 3 * * 1')!(from)?.toISOString()).toBe('2026-11-30T03:00:00.000Z');
    for (const bad of ['0 seconds', '60 seconds', '1 minute', '* * * *', '* * * * * *', 'x * * * *'])
      expect(parseSchedule(bad)).toBeUndefined();
  });
});

describe('the scheduler on a real database', () => {
  it('runs what cron.schedule() put in cron.job, until cron.unschedule()', async () => {
    const db = await openPglite();
    try {
      await db.query(await readFile(new URL('../../sql/supabase-bootstrap.sql', import.meta.url), 'utf8'));
      await db.query(`create table ticks (at timestamptz default now());
        select cron.schedule('tick', '59 seconds', 'insert into ticks default values')`);
      const scheduler = await startScheduler({
        db,
        log: () => {},
        intervalOverrides: { tick: 50 },
        syncIntervalMs: 50,
      });
      const count = async () => (await db.query<{ n: number }>('select count(*)::int as n from ticks')).rows[0].n;
      await vi.waitFor(async () => expect(await count()).toBeGreaterThanOrEqual(2), { timeout: 30_000 });
      await db.query(`select cron.unschedule('tick')`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = await count();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await count()).toBe(after);
      await scheduler.stop();
    } finally {
      await db.close();
    }
  }, 90_000); // PGlite's start and the bootstrap take seconds on a busy machine

  it('records every run in cron.job_run_details as pg_cron does: succeeded, or failed with the error', async () => {
    const db = await openPglite();
    try {
      await db.query(await readFile(new URL('../../sql/supabase-bootstrap.sql', import.meta.url), 'utf8'));
      await db.query(`select cron.schedule('good', '59 seconds', 'select 1');
        select cron.schedule('bad', '59 seconds', 'select 1/0')`);
      const scheduler = await startScheduler({
        db,
        log: () => {},
        intervalOverrides: { good: 50, bad: 50 },
        syncIntervalMs: 50,
      });
      const runs = async () =>
        (
          await db.query<{ jobname: string; status: string; return_message: string | null; timed: boolean }>(
            `select j.jobname, d.status, d.return_message, d.start_time <= d.end_time as timed
               from cron.job_run_details d join cron.job j using (jobid) order by d.runid`,
          )
        ).rows;
      await vi.waitFor(
        async () => {
          const names = (await runs()).map((r) => r.jobname);
          expect(names).toContain('good');
          expect(names).toContain('bad');
        },
        { timeout: 10_000 },
      );
      await scheduler.stop();
      const all = await runs();
      expect(all.find((r) => r.jobname === 'good')).toEqual({
        jobname: 'good',
        status: 'succeeded',
        return_message: null,
        timed: true,
      });
      expect(all.find((r) => r.jobname === 'bad')).toMatchObject({
        status: 'failed',
        return_message: expect.stringMatching(/division by zero/),
      });
    } finally {
      await db.close();
    }
  }, 90_000);
});
