"""The facts this module shares with the database, and its own defaults.

The module is installed on its own, outside this repository, so it keeps its own copy of the schema's
facts; tests/integration/domain-facts.test.ts reads each one from here and from the live schema and
fails on any difference.
"""

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

#: Default of agent_status.heartbeat_interval_seconds.
DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 10
#: How often run_agent asks for its desired state (the module's own choice, as the TypeScript SDK's
#: pace without push wake-up: the standard library has no Realtime client, so Python always polls).
DEFAULT_POLL_INTERVAL_SECONDS = 2
#: A request that has not answered after this long fails with TIMEOUT (one-off calls return False).
DEFAULT_REQUEST_TIMEOUT_SECONDS = 5.0


def message_max_length(kind):
    """How many characters (code points) the database keeps of a message of this kind."""
    return ACTIVITY_MAX_LENGTH if kind == "activity" else MESSAGE_MAX_LENGTH
