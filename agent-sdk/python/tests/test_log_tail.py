"""The worker's side of a live tail: nothing while nobody watches; the backlog, then new lines in batches at most
every min_interval, while watched; stops at the end of the watch. Real threads on short intervals."""
import threading
import time
import unittest

from agent_status_updater.log_buffer import LogBuffer
from agent_status_updater.log_tail import LogTail
from agent_status_updater.result import PublishResult, ReportError


class Backend:
    def __init__(self):
        self.watched_until = 0.0
        self.backlog_request = 0
        self.fail = None
        self.batches = []
        self.calls = 0
        self.lock = threading.Lock()

    def publish(self, batch):
        with self.lock:
            self.calls += 1
            if self.fail is not None:
                return self.fail
            left = self.watched_until - time.monotonic()
            if left > 0:
                self.batches.append(dict(batch, at=time.monotonic()))
            return PublishResult(left if left > 0 else None, self.backlog_request, None)

    def texts(self):
        with self.lock:
            return [line["text"] for batch in self.batches for line in batch["lines"]]


def eventually(check, what, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.01)


class LogTailTest(unittest.TestCase):
    def setUp(self):
        self.buffer = LogBuffer()
        self.backend = Backend()
        self.logged = []
        self.tail = LogTail(self.buffer, self.backend.publish, "inst-1", self.logged.append, min_interval=0.2,
                            keepalive_lead=0.5, retry=0.05)
        self.addCleanup(self.tail.stop)

    def write(self, text):
        self.buffer.push({"at": "t", "level": "info", "text": text})
        self.tail.line_added()

    def watch(self, seconds, backlog_request=None):
        self.backend.watched_until = max(self.backend.watched_until, time.monotonic() + seconds)
        if backlog_request is not None:
            self.backend.backlog_request = backlog_request
        self.tail.watched(seconds, self.backend.backlog_request)

    def test_sends_nothing_while_nobody_watches(self):
        for i in range(100):
            self.write("line %d" % i)
        self.tail.watched(None, 3)
        time.sleep(0.5)
        self.assertEqual(self.backend.calls, 0)

    def test_a_watch_sends_the_backlog_with_backlog_end_then_each_new_line(self):
        self.write("before 1")
        self.write("before 2")
        self.watch(10, 1)
        eventually(lambda: self.backend.batches, "the backlog")
        self.assertEqual(self.backend.batches[0]["instance"], "inst-1")
        self.assertTrue(self.backend.batches[0]["backlog_end"])
        self.assertEqual(self.backend.texts(), ["before 1", "before 2"])
        self.write("live 1")
        eventually(lambda: "live 1" in self.backend.texts(), "a live line")
        self.assertNotIn("backlog_end", self.backend.batches[-1])

    def test_new_lines_go_out_at_most_every_min_interval_batched(self):
        self.watch(10, 1)
        eventually(lambda: self.backend.batches, "the backlog")
        for i in range(100):
            self.write("burst %d" % i)
            time.sleep(0.005)
        eventually(lambda: len(self.backend.texts()) == 100, "every line")
        live = self.backend.batches[1:]
        for earlier, later in zip(live, live[1:]):
            self.assertGreaterEqual(later["at"] - earlier["at"], 0.19)
        self.assertLessEqual(len(live), 6)

    def test_a_new_backlog_request_sends_the_whole_buffer_again(self):
        self.write("old")
        self.watch(10, 1)
        eventually(lambda: self.backend.batches, "the backlog")
        self.watch(10, 2)
        eventually(lambda: len(self.backend.batches) == 2, "the second backlog")
        self.assertTrue(self.backend.batches[1]["backlog_end"])
        self.assertEqual([l["text"] for l in self.backend.batches[1]["lines"]], ["old"])

    def test_stops_at_the_end_of_the_watch(self):
        self.watch(1, 1)
        eventually(lambda: self.backend.batches, "the backlog")
        time.sleep(1.3)
        calls = self.backend.calls
        for i in range(10):
            self.write("after %d" % i)
            time.sleep(0.05)
        time.sleep(0.3)
        self.assertEqual(self.backend.calls, calls)

    def test_asks_with_an_empty_batch_when_the_watch_is_about_to_end_and_keeps_going_if_renewed(self):
        self.watch(1, 1)
        eventually(lambda: self.backend.batches, "the backlog")
        self.backend.watched_until = time.monotonic() + 3  # renewed by the viewer; no answer told the worker
        time.sleep(1.5)
        self.write("still watched")
        eventually(lambda: "still watched" in self.backend.texts(), "a line after the first expiry")

    def test_a_refusal_stops_the_tail_for_a_minute(self):
        self.watch(10, 1)
        eventually(lambda: self.backend.batches, "the backlog")
        self.backend.fail = PublishResult(None, None, ReportError("PT401", "revoked", 401, False))
        self.write("refused")
        eventually(lambda: self.logged, "the refusal said")
        calls = self.backend.calls
        self.watch(10, 2)
        time.sleep(0.5)
        self.assertEqual(self.backend.calls, calls)
