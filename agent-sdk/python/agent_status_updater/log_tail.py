"""The worker's side of a live tail (the TypeScript SDK's log-tail.ts): nothing while nobody watches; while someone
does, the buffer's backlog and then new lines, in batches (publish_agent_logs), until the watch runs out.

Python has no push: a watch is learned from every report's answer (log_watch_seconds, log_backlog_request) and
from every batch's answer. Each says how many seconds the watch still runs; the tail runs until then on this
process's clock, so it stops by itself within the expiry after the last watcher leaves. A watch that starts, or a
backlog request newer than the last one seen, sends the whole buffer again (viewers drop what they have), ending
with ``backlog_end``. Then new lines go out at most every ``min_interval`` (the first at once). When the watch is
about to run out and nothing came to extend it, one empty batch asks whether it was renewed.

It sends from a thread of its own, which waits without a timeout while nobody watches (it costs nothing then).
"""
import threading
import time

from .constants import LOG_BATCH_MAX_BYTES
from .log_buffer import json_bytes

#: What a batch's envelope adds to its lines' JSON, with room to spare.
ENVELOPE_BYTES = 256
#: The database measures a batch as jsonb text, which has a space after every colon and comma: fill 3/4.
DEFAULT_BATCH_BYTES = LOG_BATCH_MAX_BYTES * 3 // 4
REFUSED_PAUSE_SECONDS = 60.0


class LogTail:
    """publish(batch) -> PublishResult (client.py) is called from the tail's thread; watched() and line_added()
    from any thread."""

    def __init__(self, buffer, publish, instance_id, log, min_interval=0.5, keepalive_lead=3.0, retry=1.0,
                 max_batch_bytes=DEFAULT_BATCH_BYTES, max_batch_lines=500, clock=time.monotonic):
        self._buffer = buffer
        self._publish = publish
        self._instance_id = instance_id
        self._log = log
        self._min_interval = min_interval
        self._keepalive_lead = keepalive_lead
        self._retry = retry
        self._max_batch_bytes = max_batch_bytes
        self._max_batch_lines = max_batch_lines
        self._clock = clock
        self._changed = threading.Condition()
        self._deadline = 0.0
        self._backlog_seen = None
        self._backlog_wanted = False
        self._sent_seq = 0
        self._last_sent_at = float("-inf")
        self._extended_at = float("-inf")
        self._failures = 0
        self._refused_until = float("-inf")
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="agent-status log tail", daemon=True)
        self._thread.start()

    def tailing(self):
        return not self._stopped and self._deadline > self._clock()

    def watched(self, seconds, backlog_request=None, from_batch=False):
        """A watch was answered: seconds it still runs (None: no news), backlog requests so far."""
        with self._changed:
            if self._stopped:
                return
            was = self.tailing()
            now = self._clock()
            if isinstance(seconds, (int, float)) and seconds > 0:
                until = now + seconds
                if until > self._deadline:
                    self._extended_at = now
                self._deadline = max(self._deadline, until)
            elif from_batch:
                self._deadline = 0.0  # a batch's answer is the database's word at that moment: the watch is over
            if isinstance(backlog_request, int):
                if self._backlog_seen is not None and backlog_request > self._backlog_seen and self.tailing():
                    self._backlog_wanted = True
                self._backlog_seen = max(self._backlog_seen if self._backlog_seen is not None else backlog_request,
                                         backlog_request)
            if now < self._refused_until:
                self._deadline = 0.0
            if not was and self.tailing():
                self._backlog_wanted = True
                self._failures = 0
            self._changed.notify_all()

    def line_added(self):
        if self._deadline > 0:  # cheap: only a tail that may run is woken
            with self._changed:
                self._changed.notify_all()

    def stop(self):
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    # ------------------------------------------------------------ the tail's thread
    def _batches(self, lines):
        out, size = [[]], ENVELOPE_BYTES
        for line in lines:
            weight = json_bytes(line) + 1
            if out[-1] and (size + weight > self._max_batch_bytes or len(out[-1]) >= self._max_batch_lines):
                out.append([])
                size = ENVELOPE_BYTES
            out[-1].append(line)
            size += weight
        return out

    def _send(self, lines, backlog_end=False):
        batch = {"instance": self._instance_id, "lines": lines}
        if backlog_end:
            batch["backlog_end"] = True
        self._last_sent_at = self._clock()
        try:
            result = self._publish(batch)
        except Exception as error:  # the client never raises; a bug must not end the thread
            result = None
            self._log("live log batch failed: %r" % (error,))
        if result is None or not result.ok:
            if result is not None and not result.error.retryable:
                self._log("live log stopped (%s: %s); asking again in a minute" % (result.error.code, result.error.message))
                with self._changed:
                    self._refused_until = self._clock() + REFUSED_PAUSE_SECONDS
                    self._deadline = 0.0
            else:
                self._failures += 1
            return False
        self._failures = 0
        self.watched(result.watch_seconds, result.backlog_request, from_batch=True)
        return True

    def _next_step(self):
        """Under the lock: what to do now — ("backlog" | "lines" | "ask", None), or (None, seconds to wait)."""
        if self._stopped:
            return "stop", None
        now = self._clock()
        if not self.tailing():
            return None, None  # wait for a watch, without a timeout
        if self._failures:
            retry_at = self._last_sent_at + self._retry * 2 ** min(self._failures - 1, 3)
            if now < retry_at:
                return None, retry_at - now
        if self._backlog_wanted:
            return "backlog", None
        if self._buffer.last_seq() > self._sent_seq:
            wait = self._last_sent_at + self._min_interval - now
            return ("lines", None) if wait <= 0 else (None, wait)
        ask_at = self._deadline - self._keepalive_lead
        asked = self._extended_at >= ask_at or self._last_sent_at >= ask_at
        if now >= ask_at and not asked:
            return "ask", None
        return None, (ask_at - now) if now < ask_at else (self._deadline - now)

    def _run(self):
        while True:
            with self._changed:
                step, wait = self._next_step()
                while step is None:
                    self._changed.wait(wait)
                    step, wait = self._next_step()
                if step == "backlog":
                    self._backlog_wanted = False
            if step == "stop":
                return
            if step == "backlog":
                top = self._buffer.last_seq()
                parts = self._batches(self._buffer.since(0))
                for index, part in enumerate(parts):
                    last = index == len(parts) - 1
                    if not self._send(part, backlog_end=last):
                        with self._changed:
                            self._backlog_wanted = True
                        break
                    if last:
                        self._sent_seq = max(self._sent_seq, top)
                    if not self.tailing():
                        break
            elif step == "lines":
                part = self._batches(self._buffer.since(self._sent_seq))[0]
                if part and self._send(part):
                    self._sent_seq = max(self._sent_seq, part[-1]["seq"])
            elif step == "ask":
                self._send([])
