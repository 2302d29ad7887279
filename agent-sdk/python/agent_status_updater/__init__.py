"""agent_status_updater: report an agent's state to Agent Status, and obey its desired state.

The original module's calls, unchanged::

    import agent_status_updater as asu
    asu.mark_agent_started("Content Collector")
    asu.send_heartbeat("Content Collector")
    asu.report_warning("Content Collector", "Rate limit approaching", health=75)
    asu.report_error("Content Collector", "Failed to fetch tweets", health=30)
    asu.mark_agent_stopped("Content Collector")

custom metrics from one-shot scripts (``asu.count("Content Collector", "articles_collected", 12)``,
``asu.metric("Content Collector", "queue_length", 40)``), and ``run_agent(name, work)`` for long-running workers,
whose ``agent`` handle has ``agent.metric(name, value)``, ``agent.count(name, n=1)`` and ``agent.log.info|warn|error``,
the agent's log (sent only while someone watches; the last lines go with an error report). Standard library only;
Python 3.9 or newer.
Configuration: SUPABASE_URL plus AGENT_TOKEN with SUPABASE_PUBLISHABLE_KEY (or SUPABASE_ANON_KEY), or
SUPABASE_KEY / SUPABASE_SECRET_KEY / SUPABASE_SERVICE_ROLE_KEY (trusted mode), from the environment or `.env`.
"""
from .client import AgentClient
from .config import Config, ConfigurationError, config_from_env, load_config, read_env
from .agent_log import LogHandler
from .constants import (
    ACTIVITY_MAX_LENGTH,
    CRASH_LOG_MAX_BYTES,
    CRASH_LOG_MAX_LINES,
    LOG_BATCH_MAX_BYTES,
    LOG_LEVELS,
    LOG_LINE_MAX_LENGTH,
    DEFAULT_HEALTH,
    DEFAULT_HEARTBEAT_INTERVAL_SECONDS,
    DEFAULT_POLL_INTERVAL_SECONDS,
    DEFAULT_REQUEST_TIMEOUT_SECONDS,
    MESSAGE_MAX_LENGTH,
    METRIC_NAME_MAX_LENGTH,
    METRIC_NAME_PATTERN,
    METRICS_MAX_PER_AGENT,
    METRICS_REFUSED_CODE,
    REPORT_KINDS,
    TRUNCATION_MARKER,
    message_max_length,
    metric_name_problem,
    metric_value_problem,
)
from .dotenv import parse_env, read_env_file
from .metrics import Metrics, MetricsBatch
from .redact import REDACTED, default_redact, is_sensitive_key, redact_text
from .refusal import REFUSAL_CODES, explain_refusal, is_refusal
from .result import Desired, PublishResult, ReportError, ReportResult
from .run_agent import run_agent
from .run_options import LogOptions
from .seed_compatible import (
    configure,
    count,
    mark_agent_started,
    mark_agent_stopped,
    metric,
    report_activity,
    report_error,
    report_recovered,
    report_warning,
    send_heartbeat,
)
from .truncate import truncate_message
from .version import __version__

__all__ = [
    "mark_agent_started", "send_heartbeat", "report_warning", "report_error", "report_recovered",
    "report_activity", "mark_agent_stopped", "metric", "count", "run_agent", "configure",
    "AgentClient", "Config", "ConfigurationError", "config_from_env", "load_config", "read_env",
    "parse_env", "read_env_file", "Desired", "ReportError", "ReportResult", "truncate_message",
    "ACTIVITY_MAX_LENGTH", "DEFAULT_HEALTH", "DEFAULT_HEARTBEAT_INTERVAL_SECONDS", "DEFAULT_POLL_INTERVAL_SECONDS",
    "DEFAULT_REQUEST_TIMEOUT_SECONDS", "MESSAGE_MAX_LENGTH", "REPORT_KINDS", "TRUNCATION_MARKER",
    "message_max_length", "METRIC_NAME_MAX_LENGTH", "METRIC_NAME_PATTERN", "METRICS_MAX_PER_AGENT",
    "METRICS_REFUSED_CODE", "metric_name_problem", "metric_value_problem", "Metrics", "MetricsBatch", "REFUSAL_CODES", "explain_refusal", "is_refusal", "__version__",
    "LogOptions", "LogHandler", "PublishResult", "default_redact", "redact_text", "is_sensitive_key", "REDACTED",
    "LOG_LEVELS", "LOG_LINE_MAX_LENGTH", "LOG_BATCH_MAX_BYTES", "CRASH_LOG_MAX_LINES", "CRASH_LOG_MAX_BYTES",
]
