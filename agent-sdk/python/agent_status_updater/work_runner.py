"""The work's lifecycle (the TypeScript SDK's work-runner.ts): start it in a thread with a stop event, stop it
within a budget, notice when it returns or crashes, and restart it after a crash with exponential backoff
(reset by a run that lasted ``min_uptime``).

Every method runs on the event loop's thread; the work's thread only posts its end to the loop.
"""
import threading
import time

from .backoff import BackoffPolicy, backoff_ceiling
from .constants import DEFAULT_HEALTH
from .truncate import describe_error, format_traceback


class WorkRunner:
    """report(kind, message=None, health=None) queues a report; log(line) writes to the agent's log.

    on_start(generation): before the work runs (so its own reports follow 'started'), it now carries out
    ``generation``. on_fatal_crash(): the work crashed with on_error "exit". restart_due(crashed_generation):
    a crash backoff ran out; the generation to start again at, or None to stay stopped.
    """

    def __init__(self, *, name, work, report, log, on_error, min_uptime, restart_delay, max_backoff, stop_budget,
                 on_start, on_fatal_crash, restart_due, loop, metric=None, count=None, agent_log=None,
                 error_info=None, log_crash=None):
        self._name = name
        self._work = work
        self._report = report
        self._metric = metric or _ignore
        self._count = count or _ignore
        self._log = log
        # The agent's logger (agent.log), what goes with an error report (its last lines), and a crash as a line.
        self._agent_log = agent_log if agent_log is not None else log
        self._error_info = error_info or (lambda: None)
        self._log_crash = log_crash or (lambda error: None)
        self._on_error = on_error
        self._min_uptime = min_uptime
        self._restart_policy = BackoffPolicy(restart_delay, max_backoff)
        self._stop_budget = stop_budget
        self._on_start = on_start
        self._on_fatal_crash = on_fatal_crash
        self._restart_due = restart_due
        self._loop = loop
        self._current = None  # the WorkRun under way
        self._finished = None
        self._crashes = 0
        self._restart = None  # (timer, crashed generation) while a crash restart waits out its backoff

    def running_generation(self):
        """The generation the running work carries out; None when none runs."""
        return self._current.generation if self._current is not None else None

    def finished_generation(self):
        """The generation whose work returned by itself (cleared by the next start)."""
        return self._finished

    def restart_pending_for(self):
        """The generation of the crashed run whose restart waits out its backoff."""
        return self._restart[1] if self._restart is not None else None

    def start(self, generation):
        self._finished = None
        run = WorkRun(generation)
        self._current = run
        self._on_start(generation)
        self._report("started")
        self._log("work started (generation %d)" % generation)
        context = AgentContext(self._name, run, self._report, self._agent_log, self._metric, self._count,
                               self._error_info)
        run.start(self._work, context, lambda ended, error: self._loop.post(self._ended, ended, error))

    def stop(self):
        """Sets the running work's stop event and waits for it, at most the stop budget."""
        run = self._current
        if run is None:
            return
        if not run.stop(self._stop_budget):
            self._log("work ignored its stop event for %g s; reporting stopped anyway" % self._stop_budget)
        if self._current is run:
            self._current = None
        self._log("work stopped")

    def retarget(self, generation):
        """The running work now carries out ``generation`` too (a command that needed no action)."""
        if self._current is not None:
            self._current.generation = generation

    def cancel_restart(self):
        if self._restart is not None:
            self._loop.clear_timeout(self._restart[0])
        self._restart = None

    def start_skipping_backoff(self, generation):
        """An operator's command ends the backoff: start now, and forget the earlier crashes."""
        self.cancel_restart()
        self._crashes = 0
        self.start(generation)

    def _ended(self, run, error):
        if run is not self._current or run.stopping:
            return  # an end that was asked for, or an older run
        self._current = None
        if error is None:
            self._returned(run)
        else:
            self._crashed(run, error)

    def _returned(self, run):
        self._finished = run.generation
        self._log("work returned by itself; waiting for the next start or restart")
        self._report("stopped")

    def _crashed(self, run, error):
        self._log("work crashed: %s" % format_traceback(error))
        self._log_crash(error)
        self._report("error", describe_error(error), None, self._error_info())
        if self._on_error == "exit":
            self._on_fatal_crash()
            return
        if time.monotonic() - run.started_at >= self._min_uptime:
            self._crashes = 0
        delay = backoff_ceiling(self._crashes, self._restart_policy)
        self._crashes += 1
        self._log("restarting in %g s" % delay)
        timer = self._loop.set_timeout(self._restart_after_backoff, delay, run.generation)
        self._restart = (timer, run.generation)

    def _restart_after_backoff(self, crashed_generation):
        self._restart = None
        generation = self._restart_due(crashed_generation)
        if generation is not None:
            self.start(generation)


class WorkRun:
    """One run of the work. ``stopping`` marks an end that was asked for, so it is not mistaken for a crash."""

    def __init__(self, generation):
        self.generation = generation
        self.stop_event = threading.Event()
        self.started_at = time.monotonic()
        self.stopping = False
        self.thread = None

    def start(self, work, context, on_end):
        """Runs work(stop_event, context) in a daemon thread; on_end(run, error or None) when it returns or raises."""

        def target():
            try:
                work(self.stop_event, context)
            except BaseException as error:  # noqa: B036 - SystemExit in a thread would vanish silently
                on_end(self, error)
            else:
                on_end(self, None)

        # A daemon: a work that ignores its stop event must not keep the process alive after shutdown.
        self.thread = threading.Thread(target=target, name="agent-status work", daemon=True)
        self.thread.start()

    def stop(self, timeout):
        """Sets the stop event and waits up to ``timeout`` seconds; True when the work has ended."""
        self.stopping = True
        self.stop_event.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout)
        return self.thread is None or not self.thread.is_alive()


class AgentContext:
    """What the work gets as ``agent`` (the TypeScript SDK's WorkContext): fire-and-forget reports through the
    agent's coalescing queue; the work never waits on monitoring."""

    def __init__(self, name, run, report, log, metric=None, count=None, error_info=None):
        self.name = name
        self._run = run
        self._report = report
        self._error_info = error_info or (lambda: None)
        #: The agent's logger: ``agent.log.info|warn|error(message, fields=None)`` and ``agent.log(line)``;
        #: ``agent.log.handler`` is a logging.Handler that keeps records as its lines.
        self.log = log
        self._metric = metric or _ignore
        self._count = count or _ignore

    @property
    def generation(self):
        """The desired-state generation this run of the work carries out."""
        return self._run.generation

    def report_activity(self, message):
        self._report("activity", message)

    def report_warning(self, message, health=DEFAULT_HEALTH["warning"]):
        self._report("warning", message, health)

    def report_error(self, message, health=DEFAULT_HEALTH["error"]):
        """Reported with the last lines of the agent's log (they are kept with the error's event)."""
        self._report("error", message, health, self._error_info())

    def report_recovered(self, health=DEFAULT_HEALTH["recovered"]):
        """Back to running after a warning or an error, keeping the uptime."""
        self._report("recovered", None, health)

    def metric(self, name, value):
        """Sets a gauge, a custom metric that holds its latest value (queue length, rate limit left). It rides on
        the next report; a name or value the backend would refuse is logged and dropped, never raised."""
        self._metric(name, value)

    def count(self, name, n=1):
        """Adds n (default 1) to a counter, a custom metric that only goes up (articles collected); likewise."""
        self._count(name, n)


def _ignore(*_args):
    pass
