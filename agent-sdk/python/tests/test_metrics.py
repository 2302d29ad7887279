import unittest

import agent_status_updater as asu
from agent_status_updater.metrics import Metrics


class CustomMetricsBetweenReports(unittest.TestCase):
    def test_a_gauge_keeps_its_latest_value_and_a_counter_sums_its_increments(self):
        metrics = Metrics()
        self.assertIsNone(metrics.gauge("queue_length", 12))
        self.assertIsNone(metrics.gauge("queue_length", 7))
        self.assertIsNone(metrics.count("articles"))
        self.assertIsNone(metrics.count("articles", 4))
        self.assertEqual(metrics.take().payload, {"gauges": {"queue_length": 7}, "counters": {"articles": 5}})

    def test_a_delivered_batch_is_not_offered_again_but_a_later_change_is(self):
        metrics = Metrics()
        metrics.gauge("queue_length", 1)
        metrics.count("articles", 2)
        batch = metrics.take()
        metrics.count("articles", 3)
        metrics.delivered(batch)
        self.assertEqual(metrics.take().payload, {"counters": {"articles": 5}})
        metrics.delivered(metrics.take())
        self.assertIsNone(metrics.take())

    def test_a_batch_never_delivered_is_offered_again_with_the_newest_values(self):
        metrics = Metrics()
        metrics.count("articles", 2)
        metrics.take()
        metrics.count("articles", 1)
        metrics.gauge("queue_length", 9.5)
        self.assertEqual(metrics.take().payload, {"gauges": {"queue_length": 9.5}, "counters": {"articles": 3}})

    def test_one_shot_calls_name_their_series(self):
        metrics = Metrics(series="process-1")
        metrics.count("articles")
        self.assertEqual(metrics.take().payload, {"counters": {"articles": 1}, "series": "process-1"})

    def test_what_the_backend_would_refuse_is_answered_with_the_problem_and_not_recorded(self):
        metrics = Metrics()
        self.assertEqual(metrics.gauge("Queue", 1), 'metric name "Queue" must start with a lower-case letter and '
                                                    "hold only lower-case letters, digits and underscores")
        self.assertEqual(metrics.gauge("queue\n", 1), 'metric name "queue\n" must start with a lower-case letter and '
                                                      "hold only lower-case letters, digits and underscores")
        self.assertEqual(metrics.gauge("", 1), "a metric name must not be empty")
        self.assertEqual(metrics.gauge("q", float("nan")), 'metric "q" must be a finite number, got nan')
        self.assertEqual(metrics.gauge("q", float("inf")), 'metric "q" must be a finite number, got inf')
        self.assertEqual(metrics.gauge("q", True), 'metric "q" must be a finite number, got True')
        self.assertEqual(metrics.gauge("q", "3"), "metric \"q\" must be a finite number, got '3'")
        self.assertRegex(metrics.gauge("q", 1e308), r'^metric "q" is out of range')
        self.assertRegex(metrics.gauge("q", 10 ** 400), r'^metric "q" is out of range')
        self.assertRegex(metrics.gauge("q", 5e-324), r'^metric "q" is out of range')
        self.assertEqual(metrics.count("c", -1), 'counter "c" grows by a finite number of at least 0, got -1')
        self.assertEqual(metrics.count("c", float("nan")), 'counter "c" grows by a finite number of at least 0, got nan')
        self.assertIsNone(metrics.take())
        self.assertEqual(asu.metric_name_problem("q" + "x" * 64),
                         'metric name "q%s\u2026" is longer than 64 characters' % ("x" * 63))
        self.assertIsNone(asu.metric_name_problem("q" + "x" * 63))

    def test_a_name_keeps_its_kind_and_an_agent_keeps_at_most_20_metrics(self):
        metrics = Metrics()
        metrics.gauge("queue_length", 1)
        self.assertEqual(metrics.count("queue_length"),
                         'metric "queue_length" is a gauge here and cannot be used as a counter: use another name')
        for i in range(1, asu.METRICS_MAX_PER_AGENT):
            self.assertIsNone(metrics.gauge("g%d" % i, i))
        self.assertEqual(metrics.gauge("one_more", 1), 'an agent keeps at most 20 custom metrics; "one_more" would be one more')
        self.assertIsNone(metrics.gauge("g1", 2))

    def test_after_a_refusal_the_batch_is_dropped_and_nothing_is_offered_during_the_hold(self):
        now = [0.0]
        metrics = Metrics(hold_after_refusal=60, clock=lambda: now[0])
        metrics.gauge("queue_length", 1)
        metrics.refused(metrics.take())
        metrics.gauge("other", 2)
        self.assertIsNone(metrics.take())
        now[0] = 60.0
        self.assertEqual(metrics.take().payload, {"gauges": {"other": 2}})


if __name__ == "__main__":
    unittest.main()
