"""The long-running helper (the TypeScript SDK's run-agent.ts): reports, heartbeats, polls the desired state and
makes the work obey it. This module wires the parts together; each sub-task lives in a module of its own:

    reconcile     the decision: desired state + what runs here -> one action (pure)
    poll_pace     when to ask next
    work_runner   the work's lifecycle, with crash backoff
    shutdown      ending once, within a budget, and what may ask for it
    reporter      the coalescing, retrying report queue
    refusal       what happens when Agent Status refuses the worker itself (revoked token, deleted agent)
    instance      this run's instance id, and standing down when a newer instance takes the agent over
    metrics       the work's custom metrics, kept until the next report carries them
    run_options   the options' defaults and checks
    event_loop    one thread makes every decision (what JavaScript's event loop does for the TypeScript SDK)
    agent_logs    the agent's log: ring buffer, agent.log and its logging.Handler, capture, live tail, crash context

Polling only: the standard library has no Realtime client, so a command is carried out at the next poll.
"""
import threading

from .agent_log import quietly
from .agent_logs import AgentLogs
from .backoff import BackoffPolicy
from .client import AgentClient
from .config import load_config
from .constants import DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS, STATUS_SET_BY
from .event_loop import EventLoop
from .instance import Instance
from .metrics import Metrics
from .poll_pace import PollPace
from .reconcile import (
    ACKNOWLEDGE,
    CANCEL_RESTART,
    REPORT_STOPPED,
    RESTART_WORK,
    START_WORK,
    START_WORK_SKIPPING_BACKOFF,
    STOP_WORK,
    generation_after_backoff,
    is_newer,
    reconcile,
)
from .refusal import DEFAULT_REFUSED_RETRY_SECONDS, RefusalGate, explain_refusal, is_refusal
from .reporter import Reporter
from .result import PublishResult, ReportError
from .truncate import inert_text
from .run_options import (
    DEFAULT_MAX_BACKOFF_SECONDS,
    DEFAULT_MIN_UPTIME_SECONDS,
    DEFAULT_ON_ERROR,
    DEFAULT_RESTART_DELAY_SECONDS,
    DEFAULT_SHUTDOWN_TIMEOUT_SECONDS,
    log_options,
    resolve_settings,
)
from .runtime import host_name, process_id
from .shutdown import STAND_DOWN, Shutdown, install_shutdown_triggers
from .work_runner import WorkRunner


def run_agent(name, work, *, heartbeat_interval=DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
              poll_interval=DEFAULT_POLL_INTERVAL_SECONDS, version=None, on_error=DEFAULT_ON_ERROR,
              restart_delay=DEFAULT_RESTART_DELAY_SECONDS, max_backoff=DEFAULT_MAX_BACKOFF_SECONDS,
              min_uptime=DEFAULT_MIN_UPTIME_SECONDS, shutdown_timeout=DEFAULT_SHUTDOWN_TIMEOUT_SECONDS,
              handle_signals=True, stop_event=None, config=None, client=None, log=None, random=None,
              refused_retry=DEFAULT_REFUSED_RETRY_SECONDS, logs=None):
    """Runs ``work(stop_event, agent)`` while the agent's desired state is running; returns the exit code.

    Blocks until SIGINT/SIGTERM (or ``stop_event``): then stops the work, reports stopped and returns 0.
    With ``on_error="exit"`` a crash of the work is reported and 1 is returned. Times are in seconds.
    When Agent Status refuses the worker itself (its token revoked, its agent deleted) it says so once, leaves
    the work as it is and asks again after ``refused_retry`` seconds, doubling up to 15 minutes.
    Configuration comes from the environment and ``.env`` unless ``config`` or ``client`` is given; a
    missing or contradictory one raises ConfigurationError here, before anything runs.
    Each call is a worker instance with an id of its own, sent with every report: when a newer instance of
    the same agent starts, this one stops its work, reports no more and returns 0 (the newer one wins).
    ``agent.log.info|warn|error(message, fields=None)`` is the agent's log: lines stay in memory, are sent only
    while someone watches the agent's live log, and the last ones go with an error report. ``logs`` (a dict or
    LogOptions) sets its bounds, redaction and capture of the root logger and of stdio (docs/logs.md).
    """
    options = log_options(logs)
    settings = resolve_settings(
        name, work, heartbeat_interval=heartbeat_interval, poll_interval=poll_interval, version=version,
        on_error=on_error, min_uptime=min_uptime, restart_delay=restart_delay, max_backoff=max_backoff,
        refused_retry=refused_retry, shutdown_timeout=shutdown_timeout, log=log,
    )
    client = client or AgentClient(config or load_config())
    return _Agent(settings, work, client, random, options).run(handle_signals, stop_event)


class _Agent:
    """One call of run_agent. Everything but on_answer and snapshot (the reporter's thread) runs on its loop."""

    def __init__(self, settings, work, client, random, logs_options):
        # The SDK's own diagnostics are never captured as the agent's log lines.
        self.log = _quiet_log(settings.log)
        self.loop = EventLoop()
        self.instance = Instance()
        config = getattr(client, "config", None)
        self.logs = AgentLogs(
            logs_options, secrets=[getattr(config, "token", None), getattr(config, "api_key", None)],
            instance_id=self.instance.id, publish=lambda batch: _publish(client, batch, settings.name), log=self.log,
        )
        self.info = self.instance.tag(_info(settings))
        self.desired = None  # the latest desired state the backend answered
        self.carried_out = None  # the generation carried out: p_observed_generation on every report
        self.remove_triggers = None
        self.refusal = RefusalGate(settings.refused_retry)
        # Counters count per worker run: the instance id every report carries names the series.
        self.metrics = Metrics(hold_after_refusal=METRICS_HOLD_AFTER_REFUSAL_SECONDS)
        self.dropped_metric = _DroppedMetricLog(self.log)
        self.reporter = _agent_reporter(client, settings, self.refusal, random, self.snapshot, self.on_answer,
                                        self.metrics)
        self.pace = PollPace(settings.poll_interval, lambda: self.report("heartbeat"), self.loop)
        self.runner = WorkRunner(
            name=settings.name, work=work, report=self.report, log=self.log, on_error=settings.on_error,
            min_uptime=settings.min_uptime, restart_delay=settings.restart_delay, max_backoff=settings.max_backoff,
            stop_budget=settings.work_stop_budget, on_start=self.started, loop=self.loop,
            on_fatal_crash=lambda: self.ending.shutdown(1, "crash"), restart_due=self.restart_due,
            metric=lambda name, value: self.dropped_metric(name, self.metrics.gauge(name, value)),
            count=lambda name, n=1: self.dropped_metric(name, self.metrics.count(name, n)),
            agent_log=self.logs.log, error_info=self.logs.error_info, log_crash=self.logs.log_crash,
        )
        self.ending = Shutdown(
            log=self.log, timeout=settings.shutdown_timeout, quiesce=self.quiesce, stop_work=self.runner.stop,
            reporter=self.reporter, release=self.release,
        )

    def run(self, handle_signals, stop_event):
        self.remove_triggers = install_shutdown_triggers(
            handle_signals=handle_signals, stop_event=stop_event, loop=self.loop, shutdown=self.ending.shutdown,
        )
        try:
            self.pace.poll_now()  # the first report is a poll: until it answers, the agent does not know whether to run
            self.loop.run_until(self.ending.is_done)
            return self.ending.code
        finally:
            self.release()

    # ------------------------------------------------------------ answers
    def on_answer(self, answer):
        """On the reporter's thread, before it sends the next report (which must no longer say instance_new)."""
        displaced = self.instance.displaced_by(answer)
        if not displaced and self.refusal.accepted():
            self.log("Agent Status accepts this worker again; monitoring resumes")
        if not displaced:
            self.logs.watched(answer.log_watch_seconds, answer.log_backlog_request)
        self.loop.post(self.answered, answer, displaced)

    def answered(self, answer, displaced):
        if displaced:
            self.stand_down(answer.instance_id)
        elif is_newer(answer, self.desired):
            self.desired = answer
            self.reconcile()

    def stand_down(self, holder):
        """A newer instance of this agent holds it: this one stops its work and reports no more."""
        if self.ending.is_shutting_down():
            return
        self.log("another worker instance (%s) took this agent over; this one (%s) stands down: it stops its work "
                 "and reports no more (the newer instance wins)" % (inert_text(holder[:8]), self.instance.id[:8]))
        self.ending.shutdown(0, STAND_DOWN)

    # ------------------------------------------------------------ reconcile
    def reconcile(self):
        if self.ending.is_shutting_down() or self.desired is None:
            return
        action = reconcile(
            self.desired, running=self.runner.running_generation(), carried_out=self.carried_out,
            finished=self.runner.finished_generation(), restart_pending=self.runner.restart_pending_for(),
        )
        self.carry_out(action, self.desired.generation)

    def carry_out(self, action, generation):
        runner = self.runner
        if action == CANCEL_RESTART:
            runner.cancel_restart()
        elif action == STOP_WORK:
            runner.cancel_restart()
            runner.stop()
            self.acknowledge(generation, "stopped")
        elif action == REPORT_STOPPED:
            # Nothing runs here, but the row may still say running (e.g. after a crash of the process).
            runner.cancel_restart()
            self.acknowledge(generation, "stopped")
        elif action == RESTART_WORK:
            self.log("restart requested (generation %d)" % generation)
            runner.stop()
            runner.start(generation)
        elif action == ACKNOWLEDGE:
            runner.retarget(generation)
            self.acknowledge(generation, "heartbeat")
        elif action == START_WORK_SKIPPING_BACKOFF:
            runner.start_skipping_backoff(generation)
        elif action == START_WORK:
            runner.start(generation)

    def acknowledge(self, generation, kind):
        self.carried_out = generation
        self.report(kind)

    def started(self, generation):
        self.carried_out = generation

    def restart_due(self, crashed_generation):
        if self.ending.is_shutting_down():
            return None
        return generation_after_backoff(self.desired, crashed_generation)

    # ------------------------------------------------------------ reports
    def report(self, kind, message=None, health=None, info=None):
        # Every report carries what the worker last said it was doing, so the row heals if a one-shot
        # script changed it. While refused, reports are dropped: the first one after the hold is the next attempt.
        if kind in STATUS_SET_BY:
            self.info["state"] = STATUS_SET_BY[kind]
        if not self.refusal.holding():
            self.reporter.enqueue(kind, message, health, info)

    def snapshot(self):
        """Read at send time, so a retried report carries the newest acknowledgement."""
        return {"observed_generation": self.carried_out, "info": dict(self.info)}

    # ------------------------------------------------------------ shutdown
    def quiesce(self):
        self.instance.exiting()  # the final report lets go of the agent, so the next run takes it quietly
        self.pace.stop()
        self.runner.cancel_restart()
        self.logs.close()

    def release(self):
        remove, self.remove_triggers = self.remove_triggers, None
        if remove is not None:
            remove()
        self.logs.close()


def _quiet_log(log):
    def quiet(line):
        with quietly():
            log(line)

    return quiet


def _publish(client, batch, name):
    """publish_agent_logs through the client; a client without it (an older or a fake one) takes no batch."""
    publish = getattr(client, "publish_logs", None)
    if publish is None:
        return PublishResult(None, None, ReportError("UNSUPPORTED", "this client cannot publish logs", 0, False))
    return publish(batch, agent_name=name)


def _info(settings):
    info = {"host": host_name(), "pid": process_id(),
            "heartbeat_interval_seconds": max(1, int(round(settings.heartbeat_interval)))}
    if settings.version is not None:
        info["version"] = settings.version
    return info


#: How long a worker sends no metrics after the backend refused some (metrics.py).
METRICS_HOLD_AFTER_REFUSAL_SECONDS = 60.0


class _DroppedMetricLog:
    """A metric the work set that would be refused is dropped and logged, once per metric name."""

    def __init__(self, log):
        self._log = log
        self._logged = set()
        self._lock = threading.Lock()

    def __call__(self, name, problem):
        if not problem:
            return
        key = repr(name)
        with self._lock:
            if key in self._logged or len(self._logged) >= 100:
                return
            self._logged.add(key)
        self._log('metric dropped: %s (further problems with "%s" are not logged)' % (problem, name))


def _agent_reporter(client, settings, refusal, random, snapshot, on_answer, metrics):
    """The agent's report queue: retries capped at the heartbeat interval, an outage logged once, not per
    attempt; a refusal of the worker itself holds reports back (refusal.py) and is explained once."""
    log = settings.log
    failures_logged = 0

    def on_failure(error, report, retry_in):
        nonlocal failures_logged
        if retry_in is None and is_refusal(error):
            delay, fresh, first = refusal.refused()
            seconds = ("%.1f" % delay) if delay < 10 else "%d" % round(delay)
            if first:
                log("%s Asking again in %s s." % (explain_refusal(error), seconds))
            elif fresh:
                log("still refused (%s: %s); asking again in %s s" % (error.code, error.message, seconds))
        elif retry_in is None:
            log('report "%s" rejected (%s): %s' % (report.kind, error.code, error.message))
        else:
            if failures_logged == 0:
                log("backend unreachable (%s: %s); retrying with backoff" % (error.code, error.message))
            failures_logged += 1

    def on_recovered(failures):
        nonlocal failures_logged
        failures_logged = 0
        log("backend reachable again after %d failed attempt(s)" % failures)

    def on_metrics_refused(error, _batch):
        log("custom metrics refused (%s: %s); the report went without them, and metrics wait %d s before they "
            "are sent again" % (error.code, error.message, METRICS_HOLD_AFTER_REFUSAL_SECONDS))

    options = {"random": random} if random else {}
    return Reporter(
        client, settings.name, snapshot=snapshot, on_answer=on_answer, on_failure=on_failure,
        on_recovered=on_recovered, metrics=metrics, on_metrics_refused=on_metrics_refused, backoff=BackoffPolicy(0.5, min(settings.max_backoff, settings.heartbeat_interval)),
        **options
    )
