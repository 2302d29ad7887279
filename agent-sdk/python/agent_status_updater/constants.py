"""The facts this module shares with the database, and its own defaults.

The module is installed on its own, outside this repository, so it keeps its own copy of the schema's
facts; tests/integration/domain-facts.test.ts reads each one from here and from the live schema and
fails on any difference.
"""
import math
import re

#: enum public.agent_report_kind, in the schema's order.
REPORT_KINDS = ("started", "heartbeat", "recovered", "warning", "error", "stopped", "activity")

#: app.message_max_chars() for every kind but activity: longer messages are cut and marked, never rejected.
MESSAGE_MAX_LENGTH = 2000
#: app.message_max_chars('activity').
ACTIVITY_MAX_LENGTH = 500
#: The marker app.bounded_text() ends a cut message with.
TRUNCATION_MARKER = " \u2026[truncated]"

#: app.default_health(): the health a report sets when the caller names none.
DEFAULT_HEALTH = {
    "started": 100,
    "recovered": 100,
    "warning": 75,
    "error": 30,
    "stopped": 0,
}

#: The status a report of each kind sets (agent_report): what a worker's heartbeats restate afterwards
#: (info "state"), so a row that a one-shot report changed behind the worker's back heals.
STATUS_SET_BY = {
    "started": "running",
    "recovered": "running",
    "warning": "warning",
    "error": "error",
    "stopped": "stopped",
}

#: Default of agent_status.heartbeat_interval_seconds.
DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 10
#: How often run_agent asks for its desired state (the module's own choice, as the TypeScript SDK's
#: pace without push wake-up: the standard library has no Realtime client, so Python always polls).
DEFAULT_POLL_INTERVAL_SECONDS = 2
#: The most of an answer the module reads: agent_report answers one small row, an error a short JSON
#: object. A longer answer is refused unread (BAD_RESPONSE), whatever the server sends.
MAX_ANSWER_BYTES = 64 * 1024

#: A request that has not answered after this long fails with TIMEOUT (one-off calls return False).
DEFAULT_REQUEST_TIMEOUT_SECONDS = 5.0


def message_max_length(kind):
    """How many characters (code points) the database keeps of a message of this kind."""
    return ACTIVITY_MAX_LENGTH if kind == "activity" else MESSAGE_MAX_LENGTH


#: Custom metrics (app.metric_name_problem): a name is at most this many characters, starts with a lower-case
#: letter and holds only lower-case letters, digits and underscores.
METRIC_NAME_MAX_LENGTH = 64
METRIC_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
#: How many custom metrics an agent keeps at most (app.record_agent_metrics).
METRICS_MAX_PER_AGENT = 20
#: What agent_report answers when it refuses a report's custom metrics (HTTP 422): nothing of it was recorded.
METRICS_REFUSED_CODE = "PT422"


def metric_name_problem(name):
    """The problem with a metric name, worded as app.metric_name_problem() words it, or None."""
    if not isinstance(name, str) or name == "":
        return "a metric name must not be empty"
    if len(name) > METRIC_NAME_MAX_LENGTH:
        return 'metric name "%s\u2026" is longer than %d characters' % (name[:METRIC_NAME_MAX_LENGTH], METRIC_NAME_MAX_LENGTH)
    if not re.fullmatch(METRIC_NAME_PATTERN, name):
        return ('metric name "%s" must start with a lower-case letter and hold only lower-case letters, digits and '
                "underscores" % name)
    return None


def metric_value_problem(name, value):
    """The problem with a metric value (app.metric_value_problem: finite, and what double precision holds), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 'metric "%s" must be a finite number, got %r' % (name, value)
    if isinstance(value, float) and not math.isfinite(value):
        return 'metric "%s" must be a finite number, got %r' % (name, value)
    try:
        magnitude = abs(float(value))
    except OverflowError:  # an int beyond what a float holds
        magnitude = math.inf
    if magnitude >= 1e308 or (value != 0 and magnitude < 1e-307):
        return 'metric "%s" is out of range (0, or a magnitude from 1e-307 to 1e308), got %r' % (name, value)
    return None
#: The levels of a log line, lowest first.
LOG_LEVELS = ("info", "warn", "error")
#: app.log_line_max_chars(): a log line's text, in characters (code points); longer ones are cut and marked.
LOG_LINE_MAX_LENGTH = 2000
#: app.log_batch_max_bytes(): one batch of live lines as JSON, in bytes (publish_agent_logs refuses more).
LOG_BATCH_MAX_BYTES = 65536
#: app.crash_log_max_lines() and app.crash_log_max_bytes(): the last lines kept with an error's event.
CRASH_LOG_MAX_LINES = 50
CRASH_LOG_MAX_BYTES = 16384
