"""Process facts and signal hooks for the long-running helper."""
import os
import signal
import socket
import threading

TERMINATION_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


def host_name():
    try:
        return socket.gethostname()
    except OSError:
        return "unknown"


def process_id():
    return os.getpid()


def on_termination_signal(handler):
    """Calls handler(signal_name) on SIGINT and SIGTERM; returns a function that restores the previous handlers.

    Python lets only the main thread install signal handlers: elsewhere this installs nothing (and says so
    by returning None), and the caller stops the agent through its stop event instead.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = {}
    for signum in TERMINATION_SIGNALS:
        previous[signum] = signal.signal(signum, lambda number, _frame: handler(signal.Signals(number).name))

    def restore():
        for signum, old in previous.items():
            signal.signal(signum, old if old is not None else signal.SIG_DFL)

    return restore
