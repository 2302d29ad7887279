"""What every report comes back as: the agent's desired state, or a classified error."""
from collections import namedtuple

#: The database's answer to a report: what the agent should be doing.
#: generation is bumped by every command that changes the desired state and by every restart;
#: observed_generation is what the database has recorded as carried out by this agent;
#: instance_id is the worker instance that holds the agent after the report (None: nobody sent one);
#: log_watch_seconds: how long someone still watches the agent's live log (None: nobody), log_backlog_request:
#: how many watchers have asked for the backlog so far (None: a backend without live logs).
Desired = namedtuple(
    "Desired", ["agent_id", "agent_name", "desired_state", "generation", "last_command", "observed_generation",
                "instance_id", "log_watch_seconds", "log_backlog_request"],
    defaults=(None, None, None),
)

#: The answer to a batch of live log lines: how long the watch still runs (None: stop sending), the backlog
#: requests so far; or error (a ReportError) when the batch was not taken.
PublishResult = namedtuple("PublishResult", ["watch_seconds", "backlog_request", "error"])
PublishResult.ok = property(lambda self: self.error is None)

#: code: PostgREST/Postgres code (PT401, PT403, PT404, 22023, …) or NETWORK, TIMEOUT, HTTP_<status>, EMPTY;
#: status: the HTTP status, 0 when no response arrived;
#: retryable: sending the same report later may succeed (network, timeout, 5xx, 408, 425, 429).
ReportError = namedtuple("ReportError", ["code", "message", "status", "retryable"])


class ReportResult(namedtuple("ReportResult", ["desired", "error"])):
    """Exactly one of desired and error is set. True when the report was recorded."""

    __slots__ = ()

    @property
    def ok(self):
        return self.error is None

    def __bool__(self):
        return self.ok


def succeeded(desired):
    return ReportResult(desired, None)


def failed(code, message, status=0, retryable=True):
    return ReportResult(None, ReportError(code, message, status, retryable))


def is_retryable_status(status):
    return status == 0 or status in (408, 425, 429) or status >= 500


def desired_from_row(row):
    return Desired(
        agent_id=row["agent_id"],
        agent_name=row["agent_name"],
        desired_state=row["desired_state"],
        generation=int(row["generation"]),
        last_command=row.get("last_command"),
        observed_generation=int(row["observed_generation"]),
        instance_id=row.get("instance_id"),
        log_watch_seconds=_int_or_none(row.get("log_watch_seconds")),
        log_backlog_request=_int_or_none(row.get("log_backlog_request")),
    )


def _int_or_none(value):
    return None if value is None else int(value)
