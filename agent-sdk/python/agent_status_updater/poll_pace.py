"""How often a worker asks for its desired state (each ask is also a heartbeat): the TypeScript SDK's
poll-pace.ts, without push.

The standard library has no Realtime (WebSocket) client, so nothing wakes a Python worker up: it asks every
``interval`` seconds, and a command is carried out at the next ask. What poll-pace.ts adds for push
(trusting wake-ups, slowing to the heartbeat pace while they work, rate-limiting forged ones) has nothing
to act on here.
"""


class PollPace:
    """Calls ``poll()`` now and then every ``interval`` seconds on ``timers`` (set_timeout / clear_timeout)."""

    def __init__(self, interval, poll, timers):
        self._interval = interval
        self._poll = poll
        self._timers = timers
        self._timer = None
        self._stopped = False

    def poll_now(self):
        """Asks now and schedules the next ask: an extra ask restarts the interval instead of adding a timer."""
        if self._stopped:
            return
        self._poll()
        self._schedule()

    def interval(self):
        """The interval until the next ask."""
        return self._interval

    def stop(self):
        """No more asks from now on."""
        self._stopped = True
        self._timers.clear_timeout(self._timer)
        self._timer = None

    def _schedule(self):
        self._timers.clear_timeout(self._timer)
        self._timer = self._timers.set_timeout(self.poll_now, self._interval)
