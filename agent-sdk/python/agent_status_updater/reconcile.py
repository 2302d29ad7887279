"""The reconcile decision: what a worker does when it learns its desired state (as the TypeScript runAgent).

    desired  work now                                     action
    stopped  running                                      STOP the work, report stopped
    stopped  none, generation not yet carried out         REPORT_STOPPED (clears a stale 'running' row)
    running  none                                         START the work, report started
    running  running, newer generation, last 'restart'    RESTART: stop, then start, once per generation
    running  running, newer generation, other command     ACKNOWLEDGE (e.g. stop+start between two polls)
    running  none, crash restart pending, newer command   START now instead of waiting out the backoff
    running  none, it returned by itself this generation  NOTHING until the next start or restart

The generation carried out travels as p_observed_generation on every later report: the acknowledgement.
"""
from collections import namedtuple

NOTHING = "nothing"
STOP = "stop"
REPORT_STOPPED = "report_stopped"
START = "start"
RESTART = "restart"
ACKNOWLEDGE = "acknowledge"

#: What the worker knows about itself. work_generation: the generation the running work carries out (None:
#: no work); carried_out: the generation last acknowledged; restart_pending_for: the generation of a crashed
#: work waiting out its restart delay (None: no restart pending); finished_generation: the generation whose
#: work returned by itself.
WorkerState = namedtuple(
    "WorkerState", ["work_generation", "carried_out", "restart_pending_for", "finished_generation"]
)


def decide(desired, state):
    """The action for ``desired`` (a Desired) given the worker's ``state`` (a WorkerState)."""
    if desired.desired_state == "stopped":
        if state.work_generation is not None:
            return STOP
        if state.carried_out is None or state.carried_out < desired.generation:
            return REPORT_STOPPED
        return NOTHING
    if state.work_generation is not None:
        if desired.generation <= state.work_generation:
            return NOTHING
        return RESTART if desired.last_command == "restart" else ACKNOWLEDGE
    if state.restart_pending_for is not None:
        # Waiting out a crash backoff: an operator's newer command starts the work now.
        return START if desired.generation > state.restart_pending_for else NOTHING
    if state.finished_generation == desired.generation:
        return NOTHING
    return START


def is_newer(answer, known):
    """Answers arrive in order, but an older generation must never undo a newer one."""
    return known is None or answer.generation >= known.generation
