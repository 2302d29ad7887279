"""The long-running helper: reports, heartbeats, polls the desired state and makes the work obey it.

The caller's thread runs the control loop and owns every decision (reconcile.decide); the work runs in a
thread of its own, reports go out from the reporter's thread. Those threads only post events to the loop.
Polling only: the standard library has no Realtime client, so a command is carried out at the next poll.
"""
import os
import queue
import sys
import time
import uuid

from .backoff import BackoffPolicy, backoff_ceiling
from .client import AgentClient
from .config import load_config
from .constants import DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS
from .refusal import DEFAULT_REFUSED_RETRY_SECONDS, RefusalGate, explain_refusal, is_refusal
from .reconcile import ACKNOWLEDGE, REPORT_STOPPED, RESTART, START, STOP, WorkerState, decide, is_newer
from .reporter import Reporter
from .runtime import host_name, on_termination_signal, process_id
from .text import describe_error, format_traceback
from .work import AgentContext, WorkRun

#: A signal this soon after the first is the same request delivered twice (e.g. `timeout` signals the child
#: and then its process group), not a second Ctrl-C that means "exit now".
DUPLICATE_SIGNAL_SECONDS = 0.5
#: How often the loop looks at a caller's stop_event (it cannot wake the loop by itself).
STOP_EVENT_CHECK_SECONDS = 0.1
#: Why a worker stops when a newer instance of its agent took it over (the newer instance wins: each run
#: sends an instance id; an answer naming another holder is the cue to stand down; docs/running-agents.md).
STAND_DOWN = "a newer instance took this agent over"


def run_agent(name, work, *, heartbeat_interval=DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
              poll_interval=DEFAULT_POLL_INTERVAL_SECONDS, version=None, on_error="restart", restart_delay=1.0,
              max_backoff=30.0, min_uptime=10.0, shutdown_timeout=5.0, handle_signals=True, stop_event=None,
              config=None, client=None, log=None, random=None, refused_retry=DEFAULT_REFUSED_RETRY_SECONDS):
    """Runs ``work(stop_event, agent)`` while the agent's desired state is running; returns the exit code.

    Blocks until SIGINT/SIGTERM (or ``stop_event``): then stops the work, reports stopped and returns 0.
    With ``on_error="exit"`` a crash of the work is reported and 1 is returned. Times are in seconds.
    When Agent Status refuses the worker itself (its token revoked, its agent deleted) it says so once, leaves
    the work as it is and asks again after ``refused_retry`` seconds, doubling up to 15 minutes.
    Configuration comes from the environment and ``.env`` unless ``config`` or ``client`` is given; a
    missing or contradictory one raises ConfigurationError here, before anything runs.
    Each call is a worker instance with an id of its own, sent with every report: when a newer instance of
    the same agent starts, this one stops its work, reports no more and returns 0 (the newer one wins).
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError("run_agent needs a non-empty agent name")
    if not callable(work):
        raise TypeError("run_agent needs a work function: work(stop_event, agent)")
    if on_error not in ("restart", "exit"):
        raise ValueError('on_error must be "restart" or "exit"')
    if not heartbeat_interval > 0 or not poll_interval > 0:
        raise ValueError("heartbeat_interval and poll_interval must be positive numbers of seconds")
    worker = _Worker(
        name, work, client or AgentClient(config or load_config()),
        heartbeat_interval=heartbeat_interval, poll_interval=min(poll_interval, heartbeat_interval), version=version,
        on_error=on_error, restart_delay=restart_delay, max_backoff=max_backoff, min_uptime=min_uptime,
        shutdown_timeout=shutdown_timeout, stop_event=stop_event, refused_retry=refused_retry,
        log=log or (lambda line: print("[%s] %s" % (name, line), file=sys.stderr, flush=True)), random=random,
    )
    return worker.run(handle_signals)


class _Worker:
    def __init__(self, name, work, client, heartbeat_interval, poll_interval, version, on_error, restart_delay,
                 max_backoff, min_uptime, shutdown_timeout, stop_event, log, random, refused_retry):
        self.name = name
        self.work = work
        self.poll_interval = poll_interval
        self.on_error = on_error
        self.restart_policy = BackoffPolicy(restart_delay, max_backoff)
        self.min_uptime = min_uptime
        self.shutdown_timeout = shutdown_timeout
        self.stop_event = stop_event
        self.log = log
        self.instance_id = str(uuid.uuid4())
        # instance_new until the first answer: a new instance takes the agent over from an older one.
        self.info = {"host": host_name(), "pid": process_id(),
                     "heartbeat_interval_seconds": max(1, int(round(heartbeat_interval))),
                     "instance_id": self.instance_id, "instance_new": True}
        if version is not None:
            self.info["version"] = str(version)
        self.events = queue.SimpleQueue()  # put() is safe from a signal handler
        self.desired = None
        self.carried_out = None
        self.run_now = None  # the WorkRun under way
        self.finished_generation = None
        self.crashes = 0
        self.restart_pending_for = None
        self.restart_at = None
        self.next_poll_at = 0.0
        self.exit = None  # (code, reason) once a shutdown is asked for
        self.first_signal_at = None
        self.failures_logged = 0
        self.refusal = RefusalGate(refused_retry)
        options = {"random": random} if random else {}
        self.reporter = Reporter(
            client, name, snapshot=self.snapshot, on_answer=self.on_answer,
            on_failure=self.on_report_failure, on_recovered=self.on_report_recovered,
            backoff=BackoffPolicy(0.5, min(max_backoff, heartbeat_interval)), **options
        )

    # ------------------------------------------------------------ the loop
    def run(self, handle_signals):
        restore = on_termination_signal(self.on_signal) if handle_signals else None
        try:
            self.poll()  # the first report is a poll: until it answers, the agent does not know whether to run
            while self.exit is None:
                event = self.next_event()
                if event is not None:
                    self.handle(event)
                self.fire_timers()
            return self.shutdown(*self.exit)
        finally:
            if restore:
                restore()

    def next_event(self):
        now = time.monotonic()
        due = min(self.next_poll_at, self.restart_at if self.restart_at is not None else float("inf"))
        wait = max(0.0, due - now)
        if self.stop_event is not None:
            wait = min(wait, STOP_EVENT_CHECK_SECONDS)
        try:
            return self.events.get(timeout=wait)
        except queue.Empty:
            return None

    def handle(self, event):
        kind = event[0]
        if kind == "answer":
            holder = event[1].instance_id
            if isinstance(holder, str) and holder != self.instance_id:
                if self.exit is None:
                    self.log("another worker instance (%s) took this agent over; this one (%s) stands down: it stops "
                             "its work and reports no more (the newer instance wins)" % (holder[:8], self.instance_id[:8]))
                    self.exit = (0, STAND_DOWN)
            elif is_newer(event[1], self.desired):
                self.desired = event[1]
                self.reconcile()
        elif kind == "ended":
            self.work_ended(event[1], event[2])
        elif kind == "shutdown" and self.exit is None:
            self.exit = (event[1], event[2])

    def fire_timers(self):
        if self.stop_event is not None and self.stop_event.is_set() and self.exit is None:
            self.exit = (0, "stop_event")
        now = time.monotonic()
        if self.restart_at is not None and now >= self.restart_at:
            self.restart_after_crash()
        if now >= self.next_poll_at:
            self.poll()

    def poll(self):
        self.report("heartbeat")
        self.next_poll_at = time.monotonic() + self.poll_interval

    # ------------------------------------------------------------ reconcile
    def reconcile(self):
        target = self.desired
        state = WorkerState(
            self.run_now.generation if self.run_now else None, self.carried_out, self.restart_pending_for,
            self.finished_generation,
        )
        action = decide(target, state)
        if target.desired_state == "stopped":
            self.cancel_restart()
        if action == STOP:
            self.stop_work()
            self.acknowledge(target.generation, "stopped")
        elif action == REPORT_STOPPED:
            # Nothing runs here, but the row may still say running (e.g. after the process crashed).
            self.acknowledge(target.generation, "stopped")
        elif action == START:
            if self.restart_pending_for is not None:
                self.cancel_restart()
                self.crashes = 0
            self.start_work(target.generation)
        elif action == RESTART:
            self.log("restart requested (generation %d)" % target.generation)
            self.stop_work()
            self.start_work(target.generation)
        elif action == ACKNOWLEDGE:
            self.run_now.generation = target.generation
            self.acknowledge(target.generation, "heartbeat")

    def acknowledge(self, generation, kind):
        self.carried_out = generation
        self.report(kind)

    # ------------------------------------------------------------ the work
    def start_work(self, generation):
        self.finished_generation = None
        run = WorkRun(generation)
        context = AgentContext(self.name, run, self.report, self.log)
        self.run_now = run
        self.acknowledge(generation, "started")
        self.log("work started (generation %d)" % generation)
        run.start(self.work, context, lambda ended, error: self.events.put(("ended", ended, error)))

    def stop_work(self):
        run = self.run_now
        if run is None:
            return
        budget = self.work_stop_budget()
        if not run.stop(budget):
            self.log("work ignored its stop event for %g s; reporting stopped anyway" % budget)
        self.run_now = None
        self.log("work stopped")

    def work_stop_budget(self):
        """Leaves part of the shutdown budget for the final report."""
        return max(0.0, self.shutdown_timeout - min(1.0, self.shutdown_timeout / 4))

    def work_ended(self, run, error):
        if run is not self.run_now or run.stopping:
            return  # an end that was asked for, or an older run
        self.run_now = None
        if error is None:
            self.finished_generation = run.generation
            self.log("work returned by itself; waiting for the next start or restart")
            self.report("stopped")
        else:
            self.work_crashed(run, error)

    def work_crashed(self, run, error):
        self.log("work crashed: %s" % format_traceback(error))
        self.report("error", describe_error(error))
        if self.on_error == "exit":
            self.exit = (1, "crash")
            return
        if time.monotonic() - run.started_at >= self.min_uptime:
            self.crashes = 0
        delay = backoff_ceiling(self.crashes, self.restart_policy)
        self.crashes += 1
        self.restart_pending_for = run.generation
        self.restart_at = time.monotonic() + delay
        self.log("restarting in %g s" % delay)

    def restart_after_crash(self):
        generation = self.restart_pending_for
        self.cancel_restart()
        if self.desired is not None and self.desired.desired_state == "running":
            self.start_work(max(generation, self.desired.generation))

    def cancel_restart(self):
        self.restart_pending_for = None
        self.restart_at = None

    # ------------------------------------------------------------ reports
    def report(self, kind, message=None, health=None):
        # While refused, reports are dropped: the first one after the hold is the next attempt.
        if not self.refusal.holding():
            self.reporter.enqueue(kind, message, health)

    def on_answer(self, desired):
        self.info.pop("instance_new", None)  # on the reporter's thread, before it sends the next report
        if self.refusal.accepted():
            self.log("Agent Status accepts this worker again; monitoring resumes")
        self.events.put(("answer", desired))

    def snapshot(self):
        """Read at send time, so a retried report carries the newest acknowledgement."""
        return {"observed_generation": self.carried_out, "info": dict(self.info)}

    def on_report_failure(self, error, report, retry_in):
        if retry_in is None and is_refusal(error):
            delay, fresh, first = self.refusal.refused()
            seconds = ("%.1f" % delay) if delay < 10 else "%d" % round(delay)
            if first:
                self.log("%s Asking again in %s s." % (explain_refusal(error), seconds))
            elif fresh:
                self.log("still refused (%s: %s); asking again in %s s" % (error.code, error.message, seconds))
        elif retry_in is None:
            self.log('report "%s" rejected (%s): %s' % (report.kind, error.code, error.message))
        else:
            if self.failures_logged == 0:
                self.log("backend unreachable (%s: %s); retrying with backoff" % (error.code, error.message))
            self.failures_logged += 1

    def on_report_recovered(self, failures):
        self.failures_logged = 0
        self.log("backend reachable again after %d failed attempt(s)" % failures)

    # ------------------------------------------------------------ shutdown
    def on_signal(self, signal_name):
        now = time.monotonic()
        if self.first_signal_at is None:
            self.first_signal_at = now
            self.events.put(("shutdown", 0, signal_name))
        elif now - self.first_signal_at >= DUPLICATE_SIGNAL_SECONDS:
            os._exit(1)  # a second Ctrl-C means now

    def shutdown(self, code, reason):
        self.log("shutting down (%s)" % reason)
        deadline = time.monotonic() + self.shutdown_timeout
        self.cancel_restart()
        self.stop_work()
        # After a crash with on_error "exit" the row keeps saying error: that is what happened. A worker that
        # stands down does not report at all: the agent is the newer instance's to report.
        if reason not in ("crash", STAND_DOWN):
            self.info["instance_exiting"] = True  # the final report lets go of the agent
            self.report("stopped")
        if not self.reporter.flush(max(0.25, deadline - time.monotonic())):
            self.log("could not deliver the final report before the shutdown timeout")
        self.reporter.close()
        return code
