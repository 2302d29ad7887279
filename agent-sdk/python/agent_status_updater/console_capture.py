"""Opt-in capture of what the worker prints and logs (the TypeScript SDK's console-capture.ts): the agent's
logging.Handler on the root logger (or on named loggers), and — with ``capture_stdio`` — every line written to
sys.stdout (info) and sys.stderr (warn). The output still goes where it went; a copy becomes a log line. The
SDK's own diagnostics are printed ``quietly`` and are not captured. Uninstalling puts everything back.
"""
import logging
import sys
import threading

from .agent_log import is_quiet

#: A stream's pending partial line is given up at this length and captured as it is.
PARTIAL_LINE_MAX = 16 * 1024


class _Tee:
    """Stands in for sys.stdout or sys.stderr: writes go to the real stream, and whole lines to capture."""

    def __init__(self, stream, level, capture):
        self._stream = stream
        self._level = level
        self._capture = capture
        self._partial = ""
        self._lock = threading.Lock()

    def write(self, text):
        written = self._stream.write(text)
        if not is_quiet():
            try:
                with self._lock:
                    lines = (self._partial + (text if isinstance(text, str) else str(text))).split("\n")
                    self._partial = lines.pop()
                    if len(self._partial) > PARTIAL_LINE_MAX:
                        lines.append(self._partial)
                        self._partial = ""
                for line in lines:
                    if line.strip():
                        self._capture(self._level, line.rstrip("\r"))
            except Exception:  # capture never breaks printing
                pass
        return written

    def __getattr__(self, name):  # flush, fileno, isatty, encoding, buffer, ...
        return getattr(self._stream, name)


def install_capture(handler, *, root_logger=False, loggers=(), stdio=False, capture=None):
    """Installs ``handler`` on the root logger and/or the named loggers, and the stdio tees; returns the function
    that removes them. Levels are left as they are: a record below its logger's level reaches no handler (the
    root logger's default is WARNING; ``logging.basicConfig(level=logging.INFO)`` lets info records through)."""
    undo = []
    targets = ([logging.getLogger()] if root_logger else []) + [logging.getLogger(name) for name in loggers]
    for logger in targets:
        if handler in logger.handlers:
            continue
        logger.addHandler(handler)
        undo.append(lambda logger=logger: logger.removeHandler(handler))
    if stdio:
        for name, level in (("stdout", "info"), ("stderr", "warn")):
            stream = getattr(sys, name)
            tee = _Tee(stream, level, capture)
            setattr(sys, name, tee)

            def restore(name=name, stream=stream, tee=tee):
                if getattr(sys, name) is tee:
                    setattr(sys, name, stream)

            undo.append(restore)

    def uninstall():
        for step in reversed(undo):
            step()

    return uninstall
