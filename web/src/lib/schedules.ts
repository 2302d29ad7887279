// Schedules for the dashboard, through REST with the caller's rights (docs/schedules.md): everyone who
// may read sees agent_schedule_overview and schedule_transitions(); operators write agent_schedules.
// When windows open and close is the database's answer; nothing here computes it.
import type { ScheduleInsert, ScheduleOverviewRow, ScheduleTransition } from '@agent-status/domain';
import { restResult, type Result } from '@agent-status/client';
import type { DashboardClient } from './supabase.ts';

export async function readSchedules(client: DashboardClient): Promise<Result<ScheduleOverviewRow[]>> {
  return restResult(await client.from('agent_schedule_overview').select('*').order('name'));
}

/** Every enabled schedule's boundaries over the next `days` days, in time order. */
export async function readTransitions(
  client: DashboardClient,
  days = 7,
  limit = 50,
): Promise<Result<ScheduleTransition[]>> {
  const from = new Date();
  const until = new Date(from.getTime() + days * 86_400_000);
  return restResult(
    await client.rpc(
      'schedule_transitions',
      { p_from: from.toISOString(), p_until: until.toISOString(), p_limit: limit },
      { get: true },
    ),
  );
}

export async function addSchedule(client: DashboardClient, row: ScheduleInsert): Promise<Result<null>> {
  return restResult(await client.from('agent_schedules').insert(row));
}

export async function setScheduleEnabled(client: DashboardClient, id: string, enabled: boolean): Promise<Result<null>> {
  return restResult(await client.from('agent_schedules').update({ enabled }).eq('id', id));
}

export async function removeSchedule(client: DashboardClient, id: string): Promise<Result<null>> {
  return restResult(await client.from('agent_schedules').delete().eq('id', id));
}

/** The browser's own IANA zone (the form's default), UTC when it has none. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The zones the browser knows, for the form's suggestions (the database checks what is sent). */
export function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}
