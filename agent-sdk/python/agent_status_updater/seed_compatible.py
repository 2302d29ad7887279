"""The original module's calls (the TypeScript SDK's seed-compatible.ts): one report each, one attempt, True
or False instead of an exception.

Monitoring must not take an agent down: a network failure, a timeout or a refusal returns False and is
logged once per kind. A configuration mistake is not such a failure: it raises ConfigurationError at the
first call, so it is found at once.
"""
import logging
import threading

from .client import AgentClient
from .config import load_config
from .constants import DEFAULT_HEALTH, DEFAULT_REQUEST_TIMEOUT_SECONDS, message_max_length
from .failures import FailureLog
from .result import failed
from .runtime import host_name, process_id
from .truncate import clean_text, describe_error, truncate_message

logger = logging.getLogger("agent_status_updater")

_lock = threading.Lock()
_client = None
_options = {"config": None, "timeout": DEFAULT_REQUEST_TIMEOUT_SECONDS, "version": None}
_failures = FailureLog(logger)


def configure(config=None, timeout=DEFAULT_REQUEST_TIMEOUT_SECONDS, version=None):
    """Sets what the calls use: a Config (None: the environment and ``.env``, read at the next call), the
    request timeout in seconds, and the agent's version shown on the dashboard. Forgets logged failures."""
    global _client, _failures
    with _lock:
        _client = None
        _failures = FailureLog(logger)
        _options.update(config=config, timeout=timeout, version=version)


def _default_client():
    global _client
    with _lock:
        if _client is None:
            _client = AgentClient(_options["config"] or load_config(), timeout=_options["timeout"])
        return _client


def _info():
    info = {"host": host_name(), "pid": process_id()}
    if _options["version"] is not None:
        info["version"] = str(_options["version"])
    return info


def _argument_error(agent_name, health):
    if not isinstance(agent_name, str) or not agent_name.strip():
        return "the agent name must be a non-empty string, got %r" % (agent_name,)
    if health is not None and (isinstance(health, bool) or not isinstance(health, int)):
        return "health must be a whole number from 0 to 100, got %r" % (health,)
    return None


def _send(kind, agent_name, message=None, health=None):
    client = _default_client()  # ConfigurationError escapes here, on purpose
    what = '%s for "%s"' % (kind, agent_name)
    problem = _argument_error(agent_name, health)
    if problem:
        result = failed("INVALID_ARGUMENT", problem, 0, False)
    else:
        if message is not None:
            message = truncate_message(clean_text(message), message_max_length(kind))
        try:
            result = client.report(kind, agent_name=agent_name, message=message, health=health, info=_info())
        except Exception as error:  # noqa: BLE001 - a bug of ours must not take the agent down either
            result = failed("INTERNAL", describe_error(error), 0, False)
    _failures.record(what, result)
    return result.ok


def mark_agent_started(agent_name):
    """The agent is running (health 100, uptime from now)."""
    return _send("started", agent_name)


def send_heartbeat(agent_name):
    """The agent is alive; nothing else changes."""
    return _send("heartbeat", agent_name)


def report_warning(agent_name, message, health=DEFAULT_HEALTH["warning"]):
    return _send("warning", agent_name, message, health)


def report_error(agent_name, message, health=DEFAULT_HEALTH["error"]):
    return _send("error", agent_name, message, health)


def report_recovered(agent_name, health=DEFAULT_HEALTH["recovered"]):
    """Back to running after a warning or an error, keeping the uptime."""
    return _send("recovered", agent_name, None, health)


def report_activity(agent_name, message):
    """What the agent is doing now (last_activity); the status does not change."""
    return _send("activity", agent_name, message)


def mark_agent_stopped(agent_name):
    """The agent stopped on purpose (health 0)."""
    return _send("stopped", agent_name)
