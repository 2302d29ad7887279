"""What run_agent accepts (the TypeScript SDK's run-options.ts): its defaults, its checks, and the settings its
options resolve to. Times are in seconds."""
import sys
from collections import namedtuple

DEFAULT_ON_ERROR = "restart"
#: First restart delay after a crash; doubles per consecutive crash, up to max_backoff.
DEFAULT_RESTART_DELAY_SECONDS = 1.0
#: Cap for restart delays and for report retry delays (these are also capped at the heartbeat interval).
DEFAULT_MAX_BACKOFF_SECONDS = 30.0
#: A run that lasted this long before crashing resets the restart backoff.
DEFAULT_MIN_UPTIME_SECONDS = 10.0
#: Budget for stopping the work and sending the final report.
DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 5.0

#: How run_agent keeps and sends the agent's log lines (docs/logs.md). The ring buffer holds at most
#: ``max_lines`` lines and ``max_bytes`` bytes of JSON; ``capture_root_logger`` / ``loggers`` install the agent's
#: logging.Handler on the root logger / the named loggers; ``capture_stdio`` also keeps every line written to
#: sys.stdout (info) and sys.stderr (warn); ``redact(line)`` runs on every line before it is kept (default:
#: default_redact; None from it drops the line); ``echo`` prints agent.log lines; ``live`` answers watchers;
#: ``crash_lines``: how many of the last lines go with an error report (at most 50).
LogOptions = namedtuple("LogOptions", [
    "max_lines", "max_bytes", "capture_root_logger", "loggers", "capture_stdio", "redact", "echo", "live",
    "crash_lines",
], defaults=(1000, 256 * 1024, False, (), False, None, True, True, 50))


def log_options(logs):
    """LogOptions from None, a dict of its fields, or LogOptions; TypeError for anything else."""
    if logs is None:
        return LogOptions()
    if isinstance(logs, LogOptions):
        return logs
    if isinstance(logs, dict):
        unknown = set(logs) - set(LogOptions._fields)
        if unknown:
            raise TypeError("unknown logs option(s): %s" % ", ".join(sorted(unknown)))
        return LogOptions(**logs)
    raise TypeError("logs must be a dict or asu.LogOptions")


#: poll_interval is capped at heartbeat_interval; work_stop_budget is the part of shutdown_timeout the work
#: gets to end, the rest is left for the final report; log is a function of one line.
RunSettings = namedtuple("RunSettings", [
    "name", "heartbeat_interval", "poll_interval", "version", "on_error", "min_uptime", "restart_delay",
    "max_backoff", "refused_retry", "shutdown_timeout", "work_stop_budget", "log",
])


def resolve_settings(name, work, *, heartbeat_interval, poll_interval, version, on_error, min_uptime,
                     restart_delay, max_backoff, refused_retry, shutdown_timeout, log):
    """The RunSettings of run_agent's arguments; TypeError or ValueError for one it cannot run with."""
    if not isinstance(name, str) or not name.strip():
        raise TypeError("run_agent needs a non-empty agent name")
    if not callable(work):
        raise TypeError("run_agent needs a work function: work(stop_event, agent)")
    if on_error not in ("restart", "exit"):
        raise ValueError('on_error must be "restart" or "exit"')
    if not heartbeat_interval > 0 or not poll_interval > 0:
        raise ValueError("heartbeat_interval and poll_interval must be positive numbers of seconds")
    return RunSettings(
        name=name,
        heartbeat_interval=heartbeat_interval,
        poll_interval=min(poll_interval, heartbeat_interval),
        version=None if version is None else str(version),
        on_error=on_error,
        min_uptime=min_uptime,
        restart_delay=restart_delay,
        max_backoff=max_backoff,
        refused_retry=refused_retry,
        shutdown_timeout=shutdown_timeout,
        work_stop_budget=max(0.0, shutdown_timeout - min(1.0, shutdown_timeout / 4)),
        log=log or _stderr_log(name),
    )


def _stderr_log(name):
    return lambda line: print("[%s] %s" % (name, line), file=sys.stderr, flush=True)
