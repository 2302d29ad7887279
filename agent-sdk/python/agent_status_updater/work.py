"""The agent's work: one run of ``work(stop_event, agent)`` in a thread, and the ``agent`` it is handed."""
import threading
import time

from .constants import DEFAULT_HEALTH


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
    """What the work gets as ``agent``: fire-and-forget reports through the agent's coalescing queue."""

    def __init__(self, name, run, report, log):
        self.name = name
        self._run = run
        self._report = report
        self.log = log

    @property
    def generation(self):
        """The desired-state generation this run of the work carries out."""
        return self._run.generation

    def report_activity(self, message):
        self._report("activity", message)

    def report_warning(self, message, health=DEFAULT_HEALTH["warning"]):
        self._report("warning", message, health)

    def report_error(self, message, health=DEFAULT_HEALTH["error"]):
        self._report("error", message, health)

    def report_recovered(self, health=DEFAULT_HEALTH["recovered"]):
        """Back to running after a warning or an error, keeping the uptime."""
        self._report("recovered", None, health)
