"""Fire-and-forget reporting for a long-running agent: one request at a time from a background thread,
coalesced while waiting, retried with backoff and full jitter while the backend is away. The work never
waits on it (the same behaviour as the TypeScript SDK's reporter.ts). Custom metrics ride on whichever report goes
next (metrics.py); a report refused for its metrics is sent again without them, so a metric never costs a
heartbeat."""
import random as _random
import threading
from collections import namedtuple

from .backoff import BackoffPolicy, full_jitter_delay
from .coalesce import enqueue_coalesced
from .constants import METRICS_REFUSED_CODE, message_max_length
from .result import failed
from .truncate import clean_text, describe_error, truncate_message

#: One report waiting to be sent. Compared by identity, never by value: two equal heartbeats are two reports.
#: info: sent with this report only, over the snapshot's info (an error's last log lines).
PendingReport = namedtuple("PendingReport", ["kind", "message", "health", "info"], defaults=(None,))

DEFAULT_REPORT_BACKOFF = BackoffPolicy(base=0.5, max=30.0)


def pending_report(kind, message=None, health=None, info=None):
    """A PendingReport whose message is cleaned and cut as the database would keep it."""
    if message is not None:
        message = truncate_message(clean_text(message), message_max_length(kind))
    return PendingReport(kind, message, health, info)


class Reporter:
    """Sends reports for one agent in order through ``client``.

    snapshot() is read at send time and returns keyword arguments for the report (observed_generation,
    info), so a retried report carries the newest acknowledgement. Callbacks run on the reporter's thread:
    on_answer(desired) after each success, on_failure(error, report, retry_in_seconds or None) after each
    failed attempt, on_recovered(failed_attempts) once when a report succeeds after failures.
    ``metrics`` (a Metrics): every report carries those changed since the last accepted batch;
    on_metrics_refused(error, batch) when the backend refused a batch (the report then goes again without it).
    """

    def __init__(self, client, agent_name, snapshot=None, on_answer=None, on_failure=None, on_recovered=None,
                 backoff=DEFAULT_REPORT_BACKOFF, random=_random.random, metrics=None, on_metrics_refused=None):
        self._client = client
        self._metrics = metrics
        self._on_metrics_refused = on_metrics_refused or _ignore
        self._agent_name = agent_name
        self._snapshot = snapshot or dict
        self._on_answer = on_answer or _ignore
        self._on_failure = on_failure or _ignore
        self._on_recovered = on_recovered or _ignore
        self._backoff = backoff
        self._random = random
        self._changed = threading.Condition()
        self._queue = []
        self._in_flight = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="agent-status reporter", daemon=True)
        self._thread.start()

    def enqueue(self, kind, message=None, health=None, info=None):
        report = pending_report(kind, message, health, info)
        with self._changed:
            if self._closed:
                return
            self._queue = enqueue_coalesced(self._queue, report, self._in_flight)
            self._changed.notify_all()

    def pending(self):
        with self._changed:
            return list(self._queue)

    def flush(self, timeout):
        """True once nothing is pending, False if ``timeout`` seconds pass first (or it was closed with reports left)."""
        with self._changed:
            self._changed.wait_for(lambda: not self._queue or self._closed, timeout)
            return not self._queue

    def close(self):
        """Stops sending; what is still pending is dropped."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _run(self):
        failures = 0
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
                report = self._queue[0]
                self._in_flight = report
            batch = self._metrics.take() if self._metrics is not None else None
            result = self._send(report, batch)
            metrics_refused = batch is not None and not result.ok and result.error.code == METRICS_REFUSED_CODE
            if batch is not None and result.ok:
                self._metrics.delivered(batch)
            with self._changed:
                self._in_flight = None
                if metrics_refused:
                    pass  # nothing of the report was recorded: it goes again at once, without these metrics
                elif result.ok or not result.error.retryable:
                    # Sending a rejected report again cannot help (bad token, unknown agent, invalid health).
                    self._queue = [item for item in self._queue if item is not report]
                self._changed.notify_all()
            if metrics_refused:
                self._metrics.refused(batch)
                _call(self._on_metrics_refused, result.error, batch)
            elif result.ok:
                if failures:
                    _call(self._on_recovered, failures)
                failures = 0
                _call(self._on_answer, result.desired)
            elif not result.error.retryable:
                _call(self._on_failure, result.error, report, None)
            else:
                delay = full_jitter_delay(failures, self._backoff, self._random)
                failures += 1
                _call(self._on_failure, result.error, report, delay)
                with self._changed:
                    self._changed.wait_for(lambda: self._closed, delay)

    def _send(self, report, batch):
        try:
            snapshot = dict(self._snapshot())
            if report.info:
                snapshot["info"] = dict(snapshot.get("info") or {}, **report.info)
            if batch is not None:
                snapshot["info"] = dict(snapshot.get("info") or {}, metrics=batch.payload)
            return self._client.report(
                report.kind, agent_name=self._agent_name, message=report.message, health=report.health, **snapshot
            )
        except Exception as error:  # a bug here must not end the reporter thread (or the agent)
            return failed("INTERNAL", describe_error(error), 0, False)


def _ignore(*_args):
    pass


def _call(callback, *args):
    """A callback that raises loses its own call, not the reporter thread."""
    try:
        callback(*args)
    except Exception:  # noqa: BLE001 - nothing here may end the thread
        pass
