import threading
import unittest

from agent_status_updater.backoff import BackoffPolicy
from agent_status_updater.metrics import Metrics
from agent_status_updater.reporter import Reporter
from agent_status_updater.result import failed

from .fakes import NETWORK_DOWN, FakeBackend

FAST = BackoffPolicy(base=0.01, max=0.05)


class Reporting(unittest.TestCase):
    def setUp(self):
        self.backend = FakeBackend()
        self.answers, self.failures, self.recoveries = [], [], []
        self.generation = 0
        self.reporter = Reporter(
            self.backend, "Test Agent", snapshot=lambda: {"observed_generation": self.generation},
            on_answer=self.answers.append, on_failure=lambda e, r, retry: self.failures.append((e.code, r.kind, retry)),
            on_recovered=self.recoveries.append, backoff=FAST,
        )

    def tearDown(self):
        self.reporter.close()

    def test_reports_go_out_in_order_and_each_answer_is_handed_on(self):
        for kind in ("started", "activity", "warning"):
            self.reporter.enqueue(kind, "m" if kind != "started" else None)
            self.assertTrue(self.reporter.flush(2))
        self.assertEqual(self.backend.kinds(), ["started", "activity", "warning"])
        self.assertEqual(len(self.answers), 3)
        self.assertEqual(self.backend.reports[0]["agent_name"], "Test Agent")

    def test_messages_are_cut_as_the_database_keeps_them(self):
        self.reporter.enqueue("activity", "x" * 600)
        self.reporter.flush(2)
        self.assertEqual(len(self.backend.reports[0]["message"]), 500)

    def test_while_the_backend_is_away_reports_coalesce_and_are_retried_then_delivered(self):
        self.backend.fail = NETWORK_DOWN
        self.reporter.enqueue("error", "boom")
        for _ in range(20):
            self.reporter.enqueue("heartbeat")
        self.reporter.enqueue("started")
        self.assertFalse(self.reporter.flush(0.2))
        self.assertEqual([r.kind for r in self.reporter.pending()], ["error", "started"])
        self.generation = 4  # read at send time: the retry carries the newest acknowledgement
        self.backend.fail = None
        self.assertTrue(self.reporter.flush(2))
        self.assertEqual(self.backend.kinds()[-2:], ["error", "started"])
        self.assertEqual(self.backend.reports[-1]["observed_generation"], 4)
        self.assertGreater(len(self.failures), 1)
        self.assertTrue(all(retry is not None and 0 <= retry < 0.05 for _, _, retry in self.failures))
        self.assertEqual(len(self.recoveries), 1)

    def test_a_rejected_report_is_dropped_not_retried(self):
        self.backend.fail = failed("PT403", "not yours", 403, False)
        self.reporter.enqueue("started")
        self.assertTrue(self.reporter.flush(2))
        self.assertEqual(self.backend.kinds(), ["started"])
        self.assertEqual(self.failures, [("PT403", "started", None)])

    def test_a_client_that_raises_does_not_end_the_reporter(self):
        calls = []

        class Broken:
            def report(self, kind, **_):
                calls.append(kind)
                raise RuntimeError("bug")

        reporter = Reporter(Broken(), "A")
        reporter.enqueue("started")
        self.assertTrue(reporter.flush(2))
        reporter.enqueue("stopped")
        self.assertTrue(reporter.flush(2))
        self.assertEqual(calls, ["started", "stopped"])
        reporter.close()

    def test_close_drops_what_is_pending_and_ends_the_thread(self):
        self.backend.fail = NETWORK_DOWN
        self.reporter.enqueue("started")
        self.reporter.close()
        self.assertFalse(self.reporter.flush(0.1))
        self.reporter._thread.join(1)
        self.assertFalse(self.reporter._thread.is_alive())
        self.reporter.enqueue("stopped")  # ignored after close
        self.assertEqual([r.kind for r in self.reporter.pending()], ["started"])

    def test_enqueue_is_safe_from_many_threads(self):
        threads = [threading.Thread(target=lambda: [self.reporter.enqueue("activity", "a") for _ in range(50)]) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertTrue(self.reporter.flush(5))
        self.assertLessEqual(len(self.backend.reports), 200)


if __name__ == "__main__":
    unittest.main()


class ReportingCustomMetrics(unittest.TestCase):
    def setUp(self):
        self.backend = FakeBackend()
        self.metrics = Metrics()
        self.refused = []
        self.reporter = Reporter(self.backend, "Test Agent", backoff=FAST, metrics=self.metrics,
                                 on_metrics_refused=lambda error, batch: self.refused.append(error.code))

    def tearDown(self):
        self.reporter.close()

    def test_metrics_ride_on_the_next_report_and_an_outage_loses_none(self):
        self.metrics.gauge("queue_length", 3)
        self.metrics.count("articles", 2)
        self.backend.fail = NETWORK_DOWN
        self.reporter.enqueue("heartbeat")
        self.assertFalse(self.reporter.flush(0.1))
        self.metrics.gauge("queue_length", 8)
        self.metrics.count("articles", 5)
        self.backend.fail = None
        self.assertTrue(self.reporter.flush(2))
        delivered = [m for m in self.backend.metrics() if m]
        self.assertEqual(delivered[-1], {"gauges": {"queue_length": 8}, "counters": {"articles": 7}})
        self.reporter.enqueue("heartbeat")
        self.assertTrue(self.reporter.flush(2))
        self.assertIsNone(self.backend.metrics()[-1])

    def test_a_report_refused_for_its_metrics_goes_again_at_once_without_them(self):
        self.backend.refuse_metrics = "an agent keeps at most 20 custom metrics"
        self.metrics.gauge("queue_length", 3)
        self.reporter.enqueue("warning", "slow feed")
        self.assertTrue(self.reporter.flush(2))
        self.assertEqual(self.refused, ["PT422"])
        self.assertEqual(self.backend.kinds(), ["warning", "warning"])
        self.assertEqual(self.backend.metrics(), [{"gauges": {"queue_length": 3}}, None])
        self.assertEqual(self.backend.status, "warning")
