"""The low-level client: one call is one ``agent_report`` RPC through PostgREST (a report and a poll at once).

Never an Edge Function: those are metered per invocation. Never raises: every outcome is a ReportResult.
"""
import http.client
import json
import socket
import urllib.error
import urllib.request

from .constants import DEFAULT_REQUEST_TIMEOUT_SECONDS, MAX_ANSWER_BYTES
from .keys import auth_headers
from .result import PublishResult, ReportResult, desired_from_row, failed, is_retryable_status, succeeded
from .truncate import inert_text
from .version import __version__

RPC_PATH = "/rest/v1/rpc/agent_report"
PUBLISH_LOGS_PATH = "/rest/v1/rpc/publish_agent_logs"
USER_AGENT = "agent_status_updater/%s (python)" % __version__


class AgentClient:
    """Reports to ``config.url`` with ``config.api_key``; in token mode the token goes in every call's p_token."""

    def __init__(self, config, timeout=DEFAULT_REQUEST_TIMEOUT_SECONDS, opener=None):
        self.config = config
        self.timeout = timeout
        # A proxy from the environment is honoured, as by any urllib caller.
        self._open = (opener or urllib.request.build_opener()).open
        self._headers = dict(auth_headers(config.api_key))
        self._headers.update(
            {"Content-Type": "application/json", "Accept": "application/json", "X-Client-Info": USER_AGENT}
        )

    def arguments(self, kind, agent_name=None, message=None, health=None, observed_generation=None, info=None):
        """The RPC's arguments; what is None is left out so the database applies its default."""
        args = {"p_kind": kind}
        optional = {
            "p_agent_name": agent_name,
            "p_token": self.config.token,
            "p_message": message,
            "p_health": health,
            "p_observed_generation": observed_generation,
            "p_info": info,
        }
        args.update({key: value for key, value in optional.items() if value is not None})
        return args

    def report(self, kind, agent_name=None, message=None, health=None, observed_generation=None, info=None):
        """Sends one report; returns a ReportResult (desired state, or a classified error)."""
        outcome = self._call(RPC_PATH, self.arguments(kind, agent_name, message, health, observed_generation, info))
        if isinstance(outcome, ReportResult):
            return outcome
        status, raw = outcome
        if not 200 <= status < 300:
            return _http_error(status, raw)
        return _answer(status, raw)

    def publish_logs(self, batch, agent_name=None):
        """Sends a batch of live log lines (publish_agent_logs); nothing is broadcast while nobody watches.
        Returns a PublishResult; never raises."""
        args = {"p_batch": batch}
        if self.config.token is not None:
            args["p_token"] = self.config.token
        elif agent_name is not None:
            args["p_agent_name"] = agent_name
        outcome = self._call(PUBLISH_LOGS_PATH, args)
        if isinstance(outcome, ReportResult):
            return PublishResult(None, None, outcome.error)
        status, raw = outcome
        if not 200 <= status < 300:
            return PublishResult(None, None, _http_error(status, raw).error)
        try:
            data = json.loads(raw.decode("utf-8"))
            row = data[0] if isinstance(data, list) and data else {}
            seconds, backlog = row.get("watch_seconds"), row.get("backlog_request")
            return PublishResult(None if seconds is None else int(seconds), int(backlog or 0), None)
        except (ValueError, TypeError, AttributeError) as error:
            return PublishResult(None, None, failed("BAD_RESPONSE", "unexpected answer: %s" % error, status).error)

    def _call(self, path, args):
        """(status, body) of one RPC, or a failed ReportResult when no answer came."""
        body = json.dumps(args).encode("utf-8")
        request = urllib.request.Request(self.config.url + path, data=body, headers=self._headers, method="POST")
        try:
            status, raw = self._exchange(request)
        except (socket.timeout, TimeoutError):
            return failed("TIMEOUT", "no answer within %g s" % self.timeout)
        except urllib.error.URLError as error:
            if isinstance(error.reason, (socket.timeout, TimeoutError)):
                return failed("TIMEOUT", "no answer within %g s" % self.timeout)
            return failed("NETWORK", inert_text(error.reason))
        except (OSError, http.client.HTTPException) as error:
            return failed("NETWORK", inert_text("%s: %s" % (type(error).__name__, error)))
        if raw is None:
            return failed(code_of(status), "the answer is longer than %d bytes: not read" % MAX_ANSWER_BYTES, status,
                          is_retryable_status(status))
        return status, raw

    def _exchange(self, request):
        """(status, body) of the answer, an error status included; body None when it is too long to read.
        Network failures raise."""
        try:
            with self._open(request, timeout=self.timeout) as response:
                return response.status, _bounded(response)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, _bounded(error)


def code_of(status):
    return "BAD_RESPONSE" if 200 <= status < 300 else "HTTP_%d" % status


def _bounded(response):
    """At most MAX_ANSWER_BYTES of an answer; None (and nothing more read) when it is longer."""
    declared = response.headers.get("Content-Length") if response.headers else None
    if declared is not None and declared.strip().isdigit() and int(declared) > MAX_ANSWER_BYTES:
        return None
    raw = response.read(MAX_ANSWER_BYTES + 1)
    return None if len(raw) > MAX_ANSWER_BYTES else raw


def _answer(status, raw):
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return failed("BAD_RESPONSE", "the answer is not JSON", status)
    row = data[0] if isinstance(data, list) and data else data
    if not isinstance(row, dict) or "generation" not in row:
        return failed("EMPTY", "agent_report answered no row", status)
    try:
        return succeeded(desired_from_row(row))
    except (KeyError, TypeError, ValueError) as error:
        return failed("BAD_RESPONSE", "unexpected row: %s" % inert_text(error), status)


def _http_error(status, raw):
    """PostgREST's error body is {code, message, details, hint}; a gateway's may be anything."""
    code, message = "HTTP_%d" % status, ""
    try:
        body = json.loads(raw.decode("utf-8"))
        if isinstance(body, dict):
            code = str(body.get("code") or code)
            message = str(body.get("message") or body.get("msg") or body.get("error") or "")
    except ValueError:
        message = raw.decode("utf-8", "replace")[:200]
    # The server's words may reach a terminal or a log: no control character of theirs gets through.
    return failed(inert_text(code, 50), inert_text(message) or "HTTP %d" % status, status, is_retryable_status(status))
