"""The original module's calls (the TypeScript SDK's seed-compatible.ts): one report each, one attempt, True
or False instead of an exception.

Monitoring must not take an agent down: a network failure, a timeout or a refusal returns False and is
logged once per kind. A configuration mistake is not such a failure: it raises ConfigurationError at the
first call, so it is found at once.

metric() and count() are their custom-metric companions for one-shot scripts: each sends one heartbeat carrying
the metric. This process is the counters' series (a script run that counts 5 adds 5 to the agent's total), and a
metric whose report failed rides on the next call for the same agent.
"""
import logging
import threading

from .client import AgentClient
from .config import load_config
from .constants import DEFAULT_HEALTH, DEFAULT_REQUEST_TIMEOUT_SECONDS, METRICS_REFUSED_CODE, message_max_length
from .failures import FailureLog
from .instance import new_instance_id
from .metrics import Metrics
from .result import failed
from .runtime import host_name, process_id
from .truncate import clean_text, describe_error, truncate_message

logger = logging.getLogger("agent_status_updater")

_lock = threading.Lock()
_client = None
_options = {"config": None, "timeout": DEFAULT_REQUEST_TIMEOUT_SECONDS, "version": None}
_failures = FailureLog(logger)
#: This process's custom metrics, per agent name; the process is the counters' series.
_series = new_instance_id()
_metrics = {}


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


def _metrics_of(agent_name):
    with _lock:
        metrics = _metrics.get(agent_name)
        if metrics is None:
            metrics = _metrics[agent_name] = Metrics(series=_series)
        return metrics


def _send(kind, agent_name, message=None, health=None, metric_call=False):
    client = _default_client()  # ConfigurationError escapes here, on purpose
    what = '%s for "%s"' % (kind, agent_name)
    problem = _argument_error(agent_name, health)
    if problem:
        result = failed("INVALID_ARGUMENT", problem, 0, False)
    else:
        if message is not None:
            message = truncate_message(clean_text(message), message_max_length(kind))
        metrics = _metrics_of(agent_name)
        batch = metrics.take()
        result = _report(client, kind, agent_name, message, health, batch)
        if batch is not None and result.ok:
            metrics.delivered(batch)
        elif batch is not None and result.error.code == METRICS_REFUSED_CODE:
            metrics.refused(batch)
            if not metric_call:  # metrics left over from an earlier call must not cost this call its report
                result = _report(client, kind, agent_name, message, health, None)
    _failures.record(what, result)
    return result.ok


def _report(client, kind, agent_name, message, health, batch):
    info = _info()
    if batch is not None:
        info["metrics"] = batch.payload
    try:
        return client.report(kind, agent_name=agent_name, message=message, health=health, info=info)
    except Exception as error:  # noqa: BLE001 - a bug of ours must not take the agent down either
        return failed("INTERNAL", describe_error(error), 0, False)


def _metric_call(agent_name, name, record):
    """Records a metric and sends it with a heartbeat; a metric that would be refused is not sent (False)."""
    problem = _argument_error(agent_name, None)
    if problem is None:
        problem = record(_metrics_of(agent_name))
    if problem:
        _default_client()  # a configuration mistake is still found at the first call
        _failures.record('metric for "%s"' % (agent_name,), failed("INVALID_METRIC", problem, 0, False))
        return False
    return _send("heartbeat", agent_name, metric_call=True)


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


def metric(agent_name, name, value):
    """Sets a gauge (a custom metric holding its latest value) and sends it at once with a heartbeat."""
    return _metric_call(agent_name, name, lambda metrics: metrics.gauge(name, value))


def count(agent_name, name, n=1):
    """Adds n (default 1) to a counter (a custom metric that only goes up) and sends it at once."""
    return _metric_call(agent_name, name, lambda metrics: metrics.count(name, n))
