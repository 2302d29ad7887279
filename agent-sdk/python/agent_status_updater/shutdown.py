"""Ending an agent (the TypeScript SDK's shutdown.ts): once, within a budget, with a final report; and what may
ask for it (SIGINT/SIGTERM, the caller's stop event).
"""
import os
import time

from .runtime import on_termination_signal

#: Why a worker stops because a newer instance of its agent took over (instance.py).
STAND_DOWN = "a newer instance took this agent over"
#: Shutdowns without a final ``stopped`` report: after a crash with on_error "exit" the row keeps saying error
#: (that is what happened), and a worker that stands down does not report at all (the agent is not its own).
SILENT_REASONS = frozenset(("crash", STAND_DOWN))
#: A signal this soon after the first is the same request delivered twice (e.g. `timeout` signals the child
#: and then its process group), not a second Ctrl-C that means "exit now".
DUPLICATE_SIGNAL_SECONDS = 0.5
#: How often the loop looks at a caller's stop event (an Event cannot wake the loop by itself).
STOP_EVENT_CHECK_SECONDS = 0.1


class Shutdown:
    """Runs on the event loop's thread. quiesce(): nothing new may start (no more polls, no crash restart);
    stop_work(): stops the work within its budget; reporter: enqueue / flush / close; release(): the process
    hooks go."""

    def __init__(self, *, log, timeout, quiesce, stop_work, reporter, release):
        self._log = log
        self._timeout = timeout
        self._quiesce = quiesce
        self._stop_work = stop_work
        self._reporter = reporter
        self._release = release
        self._code = None
        self._done = False

    def shutdown(self, code, reason):
        """Ends the agent, or does nothing when it is already ending; returns the exit code of the first call."""
        if self._code is not None:
            return self._code
        self._code = code
        self._log("shutting down (%s)" % reason)
        deadline = time.monotonic() + self._timeout
        self._quiesce()
        self._stop_work()
        if reason not in SILENT_REASONS:
            self._reporter.enqueue("stopped")
        if not self._reporter.flush(max(0.25, deadline - time.monotonic())):
            self._log("could not deliver the final report before the shutdown timeout")
        self._reporter.close()
        self._release()
        self._done = True
        return code

    def is_shutting_down(self):
        return self._code is not None

    def is_done(self):
        return self._done

    @property
    def code(self):
        """The exit code, once a shutdown began."""
        return self._code


def install_shutdown_triggers(*, handle_signals, stop_event, loop, shutdown):
    """Installs what may end the agent: SIGINT/SIGTERM (in the main thread only: Python allows signal handlers
    nowhere else) and ``stop_event``. Returns what removes them again."""
    cleanups = []
    if handle_signals:
        restore = on_termination_signal(_signal_handler(loop, shutdown))
        if restore is not None:
            cleanups.append(restore)
    if stop_event is not None:
        timer = None

        def look():
            nonlocal timer
            if stop_event.is_set():
                shutdown(0, "stop_event")
            else:
                timer = loop.set_timeout(look, STOP_EVENT_CHECK_SECONDS)

        timer = loop.set_timeout(look, 0)  # on the loop, once it runs: an event set already ends the agent at once
        cleanups.append(lambda: loop.clear_timeout(timer))

    def remove():
        for cleanup in cleanups:
            cleanup()

    return remove


def _signal_handler(loop, shutdown):
    first = []

    def on_signal(signal_name):
        now = time.monotonic()
        if not first:
            first.append(now)
            loop.post(shutdown, 0, signal_name)  # a signal handler only posts: the loop ends the agent
        elif now - first[0] >= DUPLICATE_SIGNAL_SECONDS:
            os._exit(1)  # a second Ctrl-C means now

    return on_signal
