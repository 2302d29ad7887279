// pg_cron's schedule column: '1 seconds' … '59 seconds', or five cron fields read in UTC (as on
// hosted Supabase, whose databases run in UTC). The same forms the bootstrap's cron.schedule() accepts.
import { Cron } from 'croner';

/** The first time after `after` that the job is due; undefined if never again (e.g. '0 0 30 2 *'). */
export type Schedule = (after: Date) => Date | undefined;

const SECONDS = /^\s*([1-9]|[1-5][0-9])\s+seconds?\s*$/i;

/** The schedule's next-run function, or undefined for a schedule pg_cron would not take either. */
export function parseSchedule(text: string): Schedule | undefined {
  const seconds = SECONDS.exec(text);
  if (seconds) return every(Number(seconds[1]) * 1000);
  if (text.trim().split(/\s+/).length !== 5) return undefined;
  let cron: Cron;
  try {
    // Day of month and day of week combine with OR, as in Vixie cron and pg_cron.
    cron = new Cron(text.trim(), { timezone: 'UTC', mode: '5-part', domAndDow: false });
  } catch {
    return undefined;
  }
  return (after) => cron.nextRun(after) ?? undefined;
}

/** A fixed interval: also what a test's override of a job's schedule is. */
export function every(ms: number): Schedule {
  return (after) => new Date(after.getTime() + ms);
}
