"""When Agent Status refuses the worker itself — its token was revoked, its agent deleted, the token belongs
to another agent — sending again cannot help until a person acts. The worker says so once, clearly, keeps
its process and its work as they are (monitoring never takes an agent down), and asks again only now and
then: after ``refused_retry`` seconds, doubling up to MAX_REFUSED_RETRY_SECONDS. Reports made meanwhile are
dropped, so a busy work cannot turn a refusal into a stream of requests (the TypeScript SDK's refusal.ts).
"""
import threading
import time

#: PT401 invalid or revoked token; PT403 a token of another agent; PT404 no agent of that name (trusted mode).
REFUSAL_CODES = frozenset(["PT401", "PT403", "PT404"])
DEFAULT_REFUSED_RETRY_SECONDS = 60.0
MAX_REFUSED_RETRY_SECONDS = 15 * 60.0


def is_refusal(error):
    return error is not None and error.code in REFUSAL_CODES


def explain_refusal(error):
    """What a refusal means and what to do about it, in a sentence for the log."""
    if error.code == "PT401":
        why = "its token was revoked, or its agent was deleted"
    elif error.code == "PT403":
        why = "the token belongs to another agent: give each worker the token issued for its own agent"
    else:
        why = "there is no agent of this name: add it on the dashboard, or check the name"
    return ("Agent Status refused this worker (%s: %s): %s. Monitoring is off for this worker and its work is left as it "
            "is; issue a new token (dashboard → the agent → Tokens, or `agent-status tokens issue`) and restart the worker "
            "with it." % (error.code, error.message, why))


class RefusalGate:
    """Holds reports back after a refusal. Thread-safe: the reporter's thread reports refusals and acceptances,
    the loop and the work's thread ask whether to hold."""

    def __init__(self, first_retry, clock=time.monotonic):
        self._first = first_retry
        self._clock = clock
        self._lock = threading.Lock()
        self._refusals = 0
        self._hold_until = 0.0

    def refused(self):
        """Returns (delay, fresh, first). A refusal of a report sent before the hold began is not fresh: it
        neither extends nor doubles the hold."""
        with self._lock:
            now = self._clock()
            if self._refusals and now < self._hold_until:
                return self._hold_until - now, False, False
            delay = min(self._first * (2 ** self._refusals), MAX_REFUSED_RETRY_SECONDS)
            self._refusals += 1
            self._hold_until = now + delay
            return delay, True, self._refusals == 1

    def accepted(self):
        """True when this acceptance ends a refusal."""
        with self._lock:
            ended = self._refusals > 0
            self._refusals = 0
            self._hold_until = 0.0
            return ended

    def holding(self):
        with self._lock:
            return self._refusals > 0 and self._clock() < self._hold_until
