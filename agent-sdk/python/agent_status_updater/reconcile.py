"""The reconcile decision, pure: from the desired state and what this process runs and has carried out, the
one action that brings them together (the TypeScript SDK's reconcile.ts). run_agent.py carries it out.

    desired  work here                                        action
    stopped  running                                          stop-work: stop, wait, report stopped
    stopped  none, this generation not yet carried out        report-stopped (the row may still say running)
    stopped  none, carried out, a crash restart pending       cancel-restart
    running  running, this generation or a newer one          none
    running  running, newer generation, last command restart  restart-work: stop, start, once per generation
    running  running, newer generation, another command       acknowledge (e.g. stop+start between two polls)
    running  none, waiting out a crash backoff                start-work-skipping-backoff for an operator's
                                                              newer command, else none (the backoff decides)
    running  none, the work returned by itself at this gen.   none, until the next start or restart
    running  none                                             start-work

The generation carried out travels as p_observed_generation on every later report (the acknowledgement).
The cases both SDKs must decide alike are one table, agent-sdk/test/reconcile-cases.json.
"""
NONE = "none"
CANCEL_RESTART = "cancel-restart"
STOP_WORK = "stop-work"
REPORT_STOPPED = "report-stopped"
RESTART_WORK = "restart-work"
ACKNOWLEDGE = "acknowledge"
START_WORK = "start-work"
START_WORK_SKIPPING_BACKOFF = "start-work-skipping-backoff"

ACTIONS = (
    NONE, CANCEL_RESTART, STOP_WORK, REPORT_STOPPED, RESTART_WORK, ACKNOWLEDGE, START_WORK,
    START_WORK_SKIPPING_BACKOFF,
)


def reconcile(desired, running=None, carried_out=None, finished=None, restart_pending=None):
    """The action for ``desired`` (a Desired) given what this worker knows about itself.

    running: the generation the running work carries out (None: no work runs); carried_out: the generation
    this agent last acknowledged; finished: the generation whose work returned by itself; restart_pending:
    the generation of the crashed run whose restart waits out its backoff.
    """
    if desired.desired_state == "stopped":
        if running is not None:
            return STOP_WORK
        if carried_out is None or carried_out < desired.generation:
            return REPORT_STOPPED
        return NONE if restart_pending is None else CANCEL_RESTART
    if running is not None:
        if desired.generation <= running:
            return NONE
        return RESTART_WORK if desired.last_command == "restart" else ACKNOWLEDGE
    if restart_pending is not None:
        return START_WORK_SKIPPING_BACKOFF if desired.generation > restart_pending else NONE
    if finished == desired.generation:
        return NONE
    return START_WORK


def generation_after_backoff(desired, crashed_generation):
    """When a crash backoff runs out: the generation to start the work again at, or None to leave it stopped
    (an operator stopped the agent meanwhile). A command that arrived meanwhile is carried out too."""
    if desired is None or desired.desired_state != "running":
        return None
    return max(crashed_generation, desired.generation)


def is_newer(answer, known):
    """Answers arrive in order, but an older generation must never undo a newer one."""
    return known is None or answer.generation >= known.generation
