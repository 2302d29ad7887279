"""What JavaScript's event loop gives the TypeScript SDK: one thread makes every decision, one call at a time.

run_agent's caller's thread runs the loop. The work's thread, the reporter's thread and a signal handler
decide nothing: they post() a call, which the loop makes in its turn. Timers (the next poll, a crash
restart) fire on the loop too, so poll_pace, work_runner and run_agent need no locks of their own.
"""
import heapq
import itertools
import queue
import time


class _Timer:
    __slots__ = ("due", "order", "callback", "args")

    def __init__(self, due, order, callback, args):
        self.due, self.order, self.callback, self.args = due, order, callback, args

    def __lt__(self, other):
        return (self.due, self.order) < (other.due, other.order)


class EventLoop:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._posted = queue.SimpleQueue()  # put() is safe from any thread and from a signal handler
        self._timers = []  # a heap; a cleared timer stays in it with no callback
        self._order = itertools.count()

    def post(self, callback, *args):
        """From any thread: the loop calls ``callback(*args)`` in its turn."""
        self._posted.put((callback, args))

    def set_timeout(self, callback, seconds, *args):
        """On the loop's thread: ``callback(*args)`` once ``seconds`` have passed. Returns a handle for clear_timeout."""
        timer = _Timer(self._clock() + seconds, next(self._order), callback, args)
        heapq.heappush(self._timers, timer)
        return timer

    def clear_timeout(self, handle):
        if handle is not None:
            handle.callback = None

    def run_until(self, done):
        """Makes posted calls and fires due timers, one at a time, until ``done()`` is true."""
        while not done():
            self._run_one()

    def _run_one(self):
        timer = self._next_timer()
        now = self._clock()
        if timer is not None and timer.due <= now:
            heapq.heappop(self._timers)
            timer.callback(*timer.args)
            return
        try:
            callback, args = self._posted.get(timeout=None if timer is None else timer.due - now)
        except queue.Empty:
            return
        callback(*args)

    def _next_timer(self):
        while self._timers and self._timers[0].callback is None:
            heapq.heappop(self._timers)
        return self._timers[0] if self._timers else None
