"""Which pending reports a newer one makes pointless (the same rule as the TypeScript SDK's coalesce.ts).

A flood while the backend is away collapses to a handful of reports that, sent in order, leave the row
exactly as the full sequence would have:
- every report refreshes last_heartbeat, so a pending heartbeat is superseded by anything, and a new
  heartbeat adds nothing while another report is still waiting;
- the latest report of a kind wins over an earlier one of the same kind;
- a status report (started, recovered, warning, error, stopped) replaces pending
  started/recovered/warning/stopped reports: the latest status wins;
- an error is only replaced by a later error: a restart, a heartbeat or an activity never hides it;
- an activity is only replaced by a later activity (it is a separate column).
So at most one report per kind is ever pending.
"""
STATUS_KINDS = frozenset(("started", "recovered", "warning", "error", "stopped"))
REPLACEABLE_BY_STATUS = frozenset(("started", "recovered", "warning", "stopped"))


def supersedes(newer, older):
    """True when a pending report of kind ``older`` is pointless once one of kind ``newer`` is queued."""
    if older == "heartbeat" or newer == older:
        return True
    return newer in STATUS_KINDS and older in REPLACEABLE_BY_STATUS


def enqueue_coalesced(queue, report, in_flight=None):
    """The queue (a new list) after ``report`` joins it; items have a ``kind``.

    ``in_flight`` (being sent right now) still counts as superseded, so a failed send is not retried once
    something newer replaced it; but a heartbeat is only dropped for a report that has not left yet,
    because a heartbeat is also a poll and must ask after anything in flight.
    """
    waiting = [item for item in queue if item is not in_flight]
    if report.kind == "heartbeat" and waiting:
        return list(queue)
    return [item for item in queue if not supersedes(report.kind, item.kind)] + [report]
