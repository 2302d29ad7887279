"""Logging failed reports once per kind, so an agent that calls every few seconds does not flood its log."""
import logging
import threading


class FailureLog:
    """Logs the first failure of each kind (its code: NETWORK, TIMEOUT, PT403, …) as a warning, later ones
    at debug level. A success forgets the outage kinds (retryable ones), so the next outage is logged again
    and the return is logged too; a rejection (bad token, unknown agent) stays logged once per process."""

    def __init__(self, logger):
        self._logger = logger
        self._seen = set()
        self._outage = set()
        self._lock = threading.Lock()

    def record(self, what, result):
        with self._lock:
            if result.ok:
                if self._outage:
                    self._logger.warning("agent_status_updater: the backend answers again (%s)", what)
                    self._seen -= self._outage
                    self._outage.clear()
                return
            error = result.error
            first = error.code not in self._seen
            self._seen.add(error.code)
            if error.retryable:
                self._outage.add(error.code)
        level = logging.WARNING if first else logging.DEBUG
        hint = "" if not first else (
            "; the next call tries again" if error.retryable else "; the same call cannot succeed as it is"
        )
        self._logger.log(level, "agent_status_updater: %s failed (%s): %s%s", what, error.code, error.message, hint)
