// Which pending reports a newer one makes pointless. A flood while the backend is away collapses to a
// handful of reports that, sent in order, leave the row exactly as the full sequence would have:
//  - every report refreshes last_heartbeat, so a pending heartbeat is superseded by anything, and a new
//    heartbeat adds nothing while another report is still waiting;
//  - the latest report of a kind wins over an earlier one of the same kind;
//  - a status report (started, recovered, warning, error, stopped) replaces pending
//    started/recovered/warning/stopped reports:
//    the latest status wins;
//  - an error is only replaced by a later error: a restart, a heartbeat or an activity never hides it;
//  - an activity is only replaced by a later activity (it is a separate column).
// So at most one report per kind is ever pending.
import type { ReportKind } from './constants.ts';

const STATUS_KINDS: ReadonlySet<ReportKind> = new Set(['started', 'recovered', 'warning', 'error', 'stopped']);
const REPLACEABLE_BY_STATUS: ReadonlySet<ReportKind> = new Set(['started', 'recovered', 'warning', 'stopped']);

export function supersedes(newer: ReportKind, older: ReportKind): boolean {
  if (older === 'heartbeat') return true;
  if (newer === older) return true;
  return STATUS_KINDS.has(newer) && REPLACEABLE_BY_STATUS.has(older);
}

export interface Queued {
  kind: ReportKind;
}

/**
 * The queue after `report` joins it. `inFlight` (being sent right now) still counts as superseded, so a
 * failed send is not retried once something newer replaced it; but a heartbeat is only dropped for a
 * report that has not left yet, because a heartbeat is also a poll and must ask after anything in flight.
 */
export function enqueueCoalesced<T extends Queued>(queue: readonly T[], report: T, inFlight?: T): T[] {
  const waiting = queue.filter((item) => item !== inFlight);
  if (report.kind === 'heartbeat' && waiting.length > 0) return [...queue];
  return [...queue.filter((item) => !supersedes(report.kind, item.kind)), report];
}
