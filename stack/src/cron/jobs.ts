// cron.job as pg_cron keeps it (the bootstrap gives PGlite and plain PostgreSQL the same table),
// and how one job's command runs.
import { quoteIdent } from '../db/quote.ts';
import type { Db, Queryable } from '../types.ts';

export interface CronJob {
  /** cron.job.jobid, as text (a bigint). */
  id: string;
  name: string | null;
  schedule: string;
  command: string;
  username: string;
  /** The job belongs to the user the stack connects as (whoever applied the migrations). */
  ownUser: boolean;
}

/** True when the real pg_cron extension is installed: then the database runs the jobs itself. */
export async function hasPgCron(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(
    `select exists (select 1 from pg_extension where extname = 'pg_cron') as present`,
  );
  return rows[0].present;
}

/** The active jobs of this database. Read outside any transaction, so current_user is the stack's own user. */
export async function readJobs(db: Queryable): Promise<CronJob[]> {
  const { rows } = await db.query<CronJob>(
    `select jobid::text as id, jobname as name, schedule, command, username, username = current_user as "ownUser"
       from cron.job where active and database = current_database() order by jobid`,
  );
  return rows;
}

/**
 * Runs a job's command as pg_cron does: as the job's user, as one simple-protocol query (several
 * statements allowed, one implicit transaction). A job of another user runs in a transaction that
 * becomes that user first.
 */
export async function runJob(db: Db, job: CronJob): Promise<void> {
  if (job.ownUser) await db.query(job.command);
  else await db.transaction((tx) => tx.query(job.command), { prelude: `set local role ${quoteIdent(job.username)}` });
}

/**
 * Writes a finished run into cron.job_run_details, as pg_cron does (it keeps every run until something
 * deletes it: supabase/schemas/43_job_history_retention.sql). One row per run, written when it ends.
 */
export async function recordRun(
  db: Queryable,
  job: CronJob,
  run: { start: Date; end: Date; error?: string },
): Promise<void> {
  await db.query(
    `insert into cron.job_run_details (jobid, database, username, command, status, return_message, start_time, end_time)
     values ($1::bigint, current_database(), $2, $3, $4, $5, $6, $7)`,
    [
      job.id,
      job.username,
      job.command,
      run.error === undefined ? 'succeeded' : 'failed',
      run.error ?? null,
      run.start,
      run.end,
    ],
  );
}
