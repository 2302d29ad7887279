// What pg_cron does on hosted Supabase, for a database without it (PGlite, a plain PostgreSQL): runs
// whatever cron.job holds. cron.job is re-read every second, so jobs scheduled, changed or
// unscheduled while the stack runs are picked up. A job never overlaps itself: a run that comes due
// while the previous one is still going starts when that one ends (once, however many were missed).
// Failures are logged, never thrown.
import type { Db } from '../types.ts';
import { hasPgCron, readJobs, recordRun, runJob, type CronJob } from './jobs.ts';
import { every, parseSchedule, type Schedule } from './schedule.ts';

export interface SchedulerOptions {
  db: Db;
  log(scope: string, message: string): void;
  /** Job name → interval in ms that replaces the job's schedule (for tests that cannot wait for a production schedule). */
  intervalOverrides?: Record<string, number>;
  /** How often cron.job is re-read; default 1 s. */
  syncIntervalMs?: number;
}

export interface Scheduler {
  /** Stops scheduling and waits for runs in flight. */
  stop(): Promise<void>;
}

/** setTimeout's limit; a later run is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface ScheduledJob {
  job: CronJob;
  /** What the schedule was computed from: a change re-times the job. */
  timing: string;
  schedule: Schedule;
  due: Date | undefined;
  timer?: NodeJS.Timeout;
  running?: boolean;
  removed?: boolean;
}

export async function startScheduler(opts: SchedulerOptions): Promise<Scheduler> {
  const { db, log } = opts;
  if (await hasPgCron(db)) {
    log('scheduler', 'pg_cron is installed in this database: it runs the cron.job schedules, the stack runs none');
    return { stop: async () => undefined };
  }
  const jobs = new Map<string, ScheduledJob>();
  const inFlight = new Set<Promise<void>>();
  const refused = new Set<string>();
  let stopped = false;
  let syncTimer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();

  const timingOf = (job: CronJob) => {
    const override = job.name === null ? undefined : opts.intervalOverrides?.[job.name];
    return override === undefined
      ? { key: job.schedule, schedule: parseSchedule(job.schedule) }
      : { key: `${override} ms`, schedule: every(override) };
  };

  function arm(entry: ScheduledJob) {
    clearTimeout(entry.timer);
    if (stopped || entry.removed || !entry.due || entry.running) return;
    const wait = entry.due.getTime() - Date.now();
    entry.timer = setTimeout(
      () => (Date.now() >= entry.due!.getTime() ? run(entry) : arm(entry)),
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
  }

  function run(entry: ScheduledJob) {
    const startedAt = new Date();
    const { job } = entry;
    entry.running = true;
    const done = runJob(db, job)
      .then(
        () => undefined,
        (error: Error) => {
          log('scheduler', `${job.command} failed: ${error.message}`);
          return error.message;
        },
      )
      .then((error) => recordRun(db, job, { start: startedAt, end: new Date(), error }))
      .catch((error) =>
        log('scheduler', `recording a run of ${job.name ?? job.id} failed: ${(error as Error).message}`),
      )
      .finally(() => {
        inFlight.delete(done);
        entry.running = false;
        // Due again after this run's start; if that has passed already, at once (never alongside itself).
        entry.due = entry.schedule(startedAt);
        arm(entry);
      });
    inFlight.add(done);
  }

  async function sync() {
    let current: CronJob[];
    try {
      current = await readJobs(db);
    } catch (error) {
      log('scheduler', `reading cron.job failed: ${(error as Error).message}`);
      return;
    }
    if (stopped) return;
    const seen = new Set<string>();
    for (const job of current) {
      seen.add(job.id);
      const { key, schedule } = timingOf(job);
      if (!schedule) {
        if (!refused.has(`${job.id} ${key}`))
          log(
            'scheduler',
            `job ${job.name ?? job.id}: schedule "${job.schedule}" is not '1 seconds'…'59 seconds' or five cron fields; not run`,
          );
        refused.add(`${job.id} ${key}`);
        forget(job.id);
        continue;
      }
      const entry = jobs.get(job.id);
      if (!entry) {
        const fresh: ScheduledJob = { job, timing: key, schedule, due: schedule(new Date()) };
        jobs.set(job.id, fresh);
        arm(fresh);
        continue;
      }
      entry.job = job; // a new command or user takes effect at the next run
      if (entry.timing !== key) {
        Object.assign(entry, { timing: key, schedule, due: schedule(new Date()) });
        arm(entry); // a run still going re-arms the job itself when it ends
      }
    }
    for (const id of [...jobs.keys()]) if (!seen.has(id)) forget(id);
  }

  function forget(id: string) {
    const entry = jobs.get(id);
    if (!entry) return;
    entry.removed = true;
    clearTimeout(entry.timer);
    jobs.delete(id);
  }

  const loop = () => {
    syncing = sync().finally(() => {
      if (!stopped) syncTimer = setTimeout(loop, opts.syncIntervalMs ?? 1000);
    });
  };
  loop();
  await syncing;

  return {
    async stop() {
      stopped = true;
      clearTimeout(syncTimer);
      await syncing;
      for (const id of [...jobs.keys()]) forget(id);
      await Promise.all(inFlight);
    },
  };
}
