"""Custom metrics on the agent's side (the TypeScript SDK's metrics.ts): a gauge holds its latest value, a
counter the running total of this series (one run of a worker, or one process of a one-shot script).

Nothing is sent from here: the values wait for the next report, which carries every metric that changed since
the last batch the backend accepted (p_info.metrics). The database adds what a series counted since that
series' last report, so a report sent twice (a retry whose answer was lost) counts nothing twice, and one that
never arrived loses nothing: the next carries the total. Names and values are checked here as the database
checks them (constants.py). Thread-safe: the work sets metrics on its thread, the reporter takes them on its own.
"""
import threading
import time
from collections import namedtuple

from .constants import METRICS_MAX_PER_AGENT, metric_name_problem, metric_value_problem

#: What one report carries (payload, the p_info.metrics dict) and which version of each metric that is.
MetricsBatch = namedtuple("MetricsBatch", ["payload", "versions"])


class _Entry:
    __slots__ = ("kind", "value", "version", "sent")

    def __init__(self, kind, value):
        self.kind = kind
        self.value = value
        self.version = 1
        self.sent = 0  # the version last delivered (or refused)


class Metrics:
    """``series`` names the counters' series when the reports carry no instance id of their own (one-shot calls).
    After a refusal no metrics are offered for ``hold_after_refusal`` seconds, so a refusal the worker cannot fix
    by itself costs one extra request now and then, not every report."""

    def __init__(self, series=None, hold_after_refusal=0.0, clock=time.monotonic):
        self._series = series
        self._hold = hold_after_refusal
        self._clock = clock
        self._held_until = None
        self._entries = {}
        self._lock = threading.Lock()

    def gauge(self, name, value):
        """Sets a gauge. Returns the problem instead, recording nothing, for a name or value the backend would refuse."""
        return self._record(name, "gauge", lambda entry: value)

    def count(self, name, n=1):
        """Adds n (default 1, never negative) to a counter; returns the problem likewise."""
        if isinstance(n, bool) or not isinstance(n, (int, float)) or not n >= 0 or n == float("inf"):
            return 'counter "%s" grows by a finite number of at least 0, got %r' % (name, n)
        return self._record(name, "counter", lambda entry: (entry.value if entry else 0) + n)

    def _record(self, name, kind, next_value):
        problem = metric_name_problem(name)
        if problem:
            return problem
        with self._lock:
            entry = self._entries.get(name)
            if entry is not None and entry.kind != kind:
                return 'metric "%s" is a %s here and cannot be used as a %s: use another name' % (name, entry.kind, kind)
            if entry is None and len(self._entries) >= METRICS_MAX_PER_AGENT:
                return 'an agent keeps at most %d custom metrics; "%s" would be one more' % (METRICS_MAX_PER_AGENT, name)
            value = next_value(entry)
            problem = metric_value_problem(name, value)
            if problem:
                return problem
            if entry is None:
                self._entries[name] = _Entry(kind, value)
            else:
                entry.value = value
                entry.version += 1
        return None

    def take(self):
        """Every metric changed since it was last delivered, as a MetricsBatch; None when none did."""
        with self._lock:
            if self._held_until is not None and self._clock() < self._held_until:
                return None
            gauges, counters, versions = {}, {}, {}
            for name, entry in self._entries.items():
                if entry.version <= entry.sent:
                    continue
                (gauges if entry.kind == "gauge" else counters)[name] = entry.value
                versions[name] = entry.version
        if not versions:
            return None
        payload = {}
        if gauges:
            payload["gauges"] = gauges
        if counters:
            payload["counters"] = counters
        if self._series is not None:
            payload["series"] = self._series
        return MetricsBatch(payload, versions)

    def delivered(self, batch):
        """The backend recorded the batch."""
        self._settle(batch)

    def refused(self, batch):
        """The backend refused the batch (METRICS_REFUSED_CODE): its values are not offered again until they
        change, and nothing is offered during the hold."""
        self._settle(batch)
        with self._lock:
            self._held_until = self._clock() + self._hold

    def _settle(self, batch):
        with self._lock:
            for name, version in batch.versions.items():
                entry = self._entries.get(name)
                if entry is not None:
                    entry.sent = max(entry.sent, version)
