"""``agent.log``: the worker's logger (the TypeScript SDK's agent-log.ts), and the ``logging.Handler`` that feeds the
same buffer. A line is made (text bounded, fields made JSON and bounded), redacted, put in the ring buffer and —
for agent.log, unless echo is off — printed. Logging never raises into the agent's code and never waits on the
network: sending is the live tail's job (log_tail.py), and it only runs while someone watches.
"""
import datetime
import json
import logging
import sys
import threading

from .constants import LOG_LINE_MAX_LENGTH
from .redact import default_redact, hide_secrets
from .truncate import clean_text, truncate_message

#: A field's string value is cut to this many characters, and a line's fields to this many bytes of JSON.
FIELD_VALUE_MAX_LENGTH = 500
FIELDS_MAX_BYTES = 2048

#: Loggers whose records are the SDK's own diagnostics, never the agent's lines.
OWN_LOGGER = "agent_status_updater"

_quiet = threading.local()


class quietly:
    """``with quietly():`` what this thread prints is not captured (the SDK's own diagnostics, agent.log's echo)."""

    def __enter__(self):
        _quiet.depth = getattr(_quiet, "depth", 0) + 1

    def __exit__(self, *exc):
        _quiet.depth -= 1


def is_quiet():
    return getattr(_quiet, "depth", 0) > 0


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def line_text(message):
    """Text of anything logged: strings as they are, exceptions with their traceback, the rest as str()."""
    if isinstance(message, BaseException):
        from .truncate import format_traceback

        return format_traceback(message) if message.__traceback__ else "%s: %s" % (type(message).__name__, message)
    return message if isinstance(message, str) else str(message)


def _json_value(value, depth, seen):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return truncate_message(clean_text(value), FIELD_VALUE_MAX_LENGTH)
    if isinstance(value, int):
        return value if -(2 ** 53) < value < 2 ** 53 else str(value)
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, BaseException):
        return truncate_message("%s: %s" % (type(value).__name__, value), FIELD_VALUE_MAX_LENGTH)
    if id(value) in seen or depth > 4:
        return "[...]"
    if isinstance(value, dict):
        seen = seen | {id(value)}
        return {str(key): _json_value(item, depth + 1, seen) for key, item in list(value.items())[:50]}
    if isinstance(value, (list, tuple, set, frozenset)):
        seen = seen | {id(value)}
        return [_json_value(item, depth + 1, seen) for item in list(value)[:50]]
    return truncate_message(clean_text(repr(value)), FIELD_VALUE_MAX_LENGTH)


def line_fields(fields):
    """Fields as JSON: strings cut, at most FIELDS_MAX_BYTES (later keys left out, and said so)."""
    if fields is None:
        return None
    value = _json_value(fields, 0, frozenset())
    source = value if isinstance(value, dict) else {"value": value}
    out = {}
    keys = list(source)
    for index, key in enumerate(keys):
        candidate = dict(out)
        candidate[key] = source[key]
        if len(json.dumps(candidate, ensure_ascii=False)) > FIELDS_MAX_BYTES - 40:
            out["\u2026"] = "%d more field(s) left out" % (len(keys) - index)
            break
        out = candidate
    return out or None


class AgentLogger:
    """Makes, redacts and keeps lines in ``buffer``. ``log`` is the AgentLog the work gets; ``capture`` records
    a line that was printed already (captured output: no echo)."""

    def __init__(self, buffer, redact=None, secrets=(), echo=None, on_line=None, warn=None):
        self._buffer = buffer
        self._redact = redact or default_redact
        self._hide = hide_secrets(secrets)
        self._echo = echo
        self._on_line = on_line
        self._warn = warn
        self._hook_failed = False
        self._handler = None
        self.log = AgentLog(self)

    def handler(self):
        """The logging.Handler that keeps records as lines of this log (one per logger)."""
        if self._handler is None:
            self._handler = LogHandler(self)
        return self._handler

    def record(self, level, message, fields=None, echo=True, at=None):
        try:
            entry = {"at": at or now_iso(), "level": level,
                     "text": truncate_message(clean_text(line_text(message)), LOG_LINE_MAX_LENGTH)}
            bounded = line_fields(fields)
            if bounded:
                entry["fields"] = bounded
            try:
                redacted = self._redact(dict(entry))
            except Exception as error:  # a broken hook must not let the line out unredacted: drop it
                if not self._hook_failed and self._warn:
                    self._warn("the log redaction hook raised (%r); such lines are dropped" % (error,))
                self._hook_failed = True
                redacted = None
            if echo and self._echo is not None:
                self._echo(level, entry["text"], entry.get("fields"))
            if not redacted:
                return
            kept = self._hide(dict(redacted, text=truncate_message(clean_text(redacted.get("text", "")),
                                                                   LOG_LINE_MAX_LENGTH)))
            line = self._buffer.push(kept)
            if self._on_line is not None:
                self._on_line(line)
        except Exception:  # logging never raises into the agent's code
            pass

    def capture(self, level, message, fields=None, at=None):
        self.record(level, message, fields, echo=False, at=at)


class AgentLog:
    """``agent.log(line)`` (info) and ``agent.log.info|warn|error(message, fields=None)``."""

    def __init__(self, logger):
        self._logger = logger

    def __call__(self, message, fields=None):
        self._logger.record("info", message, fields)

    def info(self, message, fields=None):
        self._logger.record("info", message, fields)

    def warn(self, message, fields=None):
        self._logger.record("warn", message, fields)

    warning = warn

    def error(self, message, fields=None):
        self._logger.record("error", message, fields)

    #: ``agent.log.handler``: a logging.Handler that keeps records as lines of this agent's log.
    @property
    def handler(self):
        return self._logger.handler()


# Attributes every LogRecord has; anything else on a record came from ``extra=`` and becomes a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def level_of(levelno):
    return "error" if levelno >= logging.ERROR else "warn" if levelno >= logging.WARNING else "info"


class LogHandler(logging.Handler):
    """A logging.Handler that keeps each record as a line of the agent's log: DEBUG and INFO as info, WARNING as
    warn, ERROR and CRITICAL as error; the text as the handler's formatter makes it (the message, and the
    traceback of ``exc_info``); ``extra=`` attributes and the logger's name as fields. The SDK's own records
    (the ``agent_status_updater`` loggers) are left out. Never raises."""

    def __init__(self, agent_logger, level=logging.NOTSET):
        super().__init__(level)
        self._agent_logger = agent_logger

    def emit(self, record):
        try:
            if record.name == OWN_LOGGER or record.name.startswith(OWN_LOGGER + "."):
                return
            fields = {key: value for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES}
            if record.name != "root":
                fields["logger"] = record.name
            at = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
            self._agent_logger.capture(level_of(record.levelno), self.format(record), fields or None,
                                       at=at.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
        except Exception:
            pass


def echo_line(level, text, fields):
    """agent.log's echo: info to stdout, warn and error to stderr, as print() would."""
    with quietly():
        stream = sys.stdout if level == "info" else sys.stderr
        try:
            suffix = " " + json.dumps(fields, ensure_ascii=False) if fields else ""
            print(text + suffix, file=stream, flush=True)
        except Exception:
            pass
