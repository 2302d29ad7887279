import logging
import os
import socket
import tempfile
import time
import unittest
from unittest import mock

import agent_status_updater as asu

from . import keys_for_tests as keys
from .fakes import RecordingServer, answer_row


def closed_port_url():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d" % probe.getsockname()[1]


class Configuration(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.previous = os.getcwd()
        os.chdir(self.directory.name)  # no .env here

    def tearDown(self):
        os.chdir(self.previous)
        self.directory.cleanup()
        asu.configure()

    def test_a_missing_configuration_raises_a_clear_error_at_the_first_call(self):
        asu.configure()
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesRegex(asu.ConfigurationError, "SUPABASE_URL is not set"):
                asu.mark_agent_started("Content Collector")

    def test_the_environment_is_read_at_the_first_call_not_at_import(self):
        asu.configure()
        with open(".env", "w") as handle:
            handle.write("SUPABASE_URL=%s\nSUPABASE_KEY=%s\n" % (closed_port_url(), keys.SECRET))
        with self.assertLogs("agent_status_updater", "WARNING"):
            self.assertFalse(asu.send_heartbeat("Content Collector"))


class Calls(unittest.TestCase):
    def setUp(self):
        self.answer = (200, answer_row())
        self.server = RecordingServer(lambda request: self.answer)
        asu.configure(asu.Config(self.server.url, keys.SECRET, None), timeout=2)

    def tearDown(self):
        self.server.close()
        asu.configure()

    def bodies(self):
        return [request["body"] for request in self.server.requests]

    def test_the_original_calls_with_their_defaults(self):
        self.assertTrue(asu.mark_agent_started("Content Collector"))
        self.assertTrue(asu.send_heartbeat("Content Collector"))
        self.assertTrue(asu.report_warning("Content Collector", "Rate limit approaching"))
        self.assertTrue(asu.report_error("Content Collector", "Failed to fetch tweets"))
        self.assertTrue(asu.report_recovered("Content Collector"))
        self.assertTrue(asu.report_activity("Content Collector", "collected 14 articles"))
        self.assertTrue(asu.mark_agent_stopped("Content Collector"))
        summary = [(b["p_kind"], b.get("p_message"), b.get("p_health")) for b in self.bodies()]
        self.assertEqual(summary, [
            ("started", None, None), ("heartbeat", None, None), ("warning", "Rate limit approaching", 75),
            ("error", "Failed to fetch tweets", 30), ("recovered", None, 100), ("activity", "collected 14 articles", None),
            ("stopped", None, None),
        ])
        for body in self.bodies():
            self.assertEqual(body["p_agent_name"], "Content Collector")
            self.assertEqual(body["p_info"], {"host": socket.gethostname(), "pid": os.getpid()})

    def test_an_exception_as_the_message_and_long_messages_cut_as_the_database_would(self):
        asu.report_error("A", ValueError("x" * 3000))
        asu.report_activity("A", "y" * 600)
        self.assertEqual(len(self.bodies()[0]["p_message"]), asu.MESSAGE_MAX_LENGTH)
        self.assertTrue(self.bodies()[0]["p_message"].endswith(asu.TRUNCATION_MARKER))
        self.assertEqual(len(self.bodies()[1]["p_message"]), asu.ACTIVITY_MAX_LENGTH)

    def test_the_version_given_to_configure_is_sent(self):
        asu.configure(asu.Config(self.server.url, keys.SECRET, None), version="2.0")
        asu.send_heartbeat("A")
        self.assertEqual(self.bodies()[0]["p_info"]["version"], "2.0")

    def test_a_refusal_returns_false_and_is_logged_once_per_kind(self):
        self.answer = (403, {"code": "PT403", "message": 'this token belongs to agent "A", not "B"'})
        with self.assertLogs("agent_status_updater", "DEBUG") as logs:
            self.assertFalse(asu.mark_agent_started("B"))
            self.assertFalse(asu.mark_agent_started("B"))
            self.answer = (400, {"code": "22023", "message": "health must be between 0 and 100, got 150"})
            self.assertFalse(asu.report_warning("A", "w", health=150))
        warnings = [r.getMessage() for r in logs.records if r.levelno == logging.WARNING]
        self.assertEqual(len(warnings), 2)
        self.assertIn("PT403", warnings[0])
        self.assertIn("22023", warnings[1])

    def test_bad_arguments_return_false_instead_of_raising(self):
        with self.assertLogs("agent_status_updater", "WARNING"):
            self.assertFalse(asu.send_heartbeat(""))
            self.assertFalse(asu.send_heartbeat(None))
            self.assertFalse(asu.report_warning("A", "w", health="high"))
        self.assertEqual(self.server.requests, [])


class BackendDown(unittest.TestCase):
    def tearDown(self):
        asu.configure()

    def test_calls_return_false_at_once_log_once_and_log_the_return(self):
        url = closed_port_url()
        asu.configure(asu.Config(url, keys.SECRET, None), timeout=1)
        started = time.monotonic()
        with self.assertLogs("agent_status_updater", "DEBUG") as logs:
            results = [asu.send_heartbeat("A") for _ in range(5)]
        self.assertEqual(results, [False] * 5)
        self.assertLess(time.monotonic() - started, 2)
        self.assertEqual(len([r for r in logs.records if r.levelno == logging.WARNING]), 1)

    def test_a_gateway_error_then_the_return_are_logged(self):
        answers = [(503, b"upstream unavailable"), (502, b"bad gateway"), (200, answer_row())]
        server = RecordingServer(lambda request: answers.pop(0))
        asu.configure(asu.Config(server.url, keys.SECRET, None), timeout=1)
        try:
            with self.assertLogs("agent_status_updater", "WARNING") as logs:
                self.assertEqual([asu.send_heartbeat("A") for _ in range(3)], [False, False, True])
        finally:
            server.close()
        messages = [r.getMessage() for r in logs.records]
        self.assertEqual(len(messages), 3)  # HTTP_503 and HTTP_502 are two kinds; then the return
        self.assertIn("HTTP_503", messages[0])
        self.assertIn("answers again", messages[2])


if __name__ == "__main__":
    unittest.main()


class OneShotMetrics(unittest.TestCase):
    def setUp(self):
        self.answer = (200, answer_row())
        self.server = RecordingServer(lambda request: self.answer)
        asu.configure(asu.Config(self.server.url, keys.SECRET, None), timeout=2)

    def tearDown(self):
        self.server.close()
        asu.configure()

    def metrics(self):
        return [request["body"]["p_info"].get("metrics") for request in self.server.requests]

    def test_metric_and_count_send_one_heartbeat_each_with_this_process_as_the_series(self):
        self.assertTrue(asu.metric("One Shot A", "queue_length", 5))
        self.assertTrue(asu.count("One Shot A", "posts_drafted"))
        self.assertTrue(asu.count("One Shot A", "posts_drafted", 2))
        self.assertEqual([r["body"]["p_kind"] for r in self.server.requests], ["heartbeat"] * 3)
        first, second, third = self.metrics()
        series = first["series"]
        self.assertEqual(first, {"gauges": {"queue_length": 5}, "series": series})
        self.assertEqual(second, {"counters": {"posts_drafted": 1}, "series": series})
        self.assertEqual(third, {"counters": {"posts_drafted": 3}, "series": series}, "the running total in this process")
        self.assertRegex(series, r"^[0-9a-f-]{36}$")

    def test_a_metric_the_backend_would_refuse_returns_false_without_a_request(self):
        with self.assertLogs("agent_status_updater", "WARNING") as logs:
            self.assertFalse(asu.metric("One Shot B", "Queue", 1))
            self.assertFalse(asu.count("One Shot B", "posts", -2))
        self.assertEqual(self.server.requests, [])
        self.assertIn("INVALID_METRIC", logs.output[0])

    def test_a_metric_whose_report_failed_rides_on_the_next_call_for_that_agent(self):
        self.answer = (503, {"code": "PGRST000", "message": "down", "details": None, "hint": None})
        with self.assertLogs("agent_status_updater", "WARNING"):
            self.assertFalse(asu.count("One Shot C", "retries", 4))
        self.answer = (200, answer_row())
        with self.assertLogs("agent_status_updater", "WARNING"):  # "the backend answers again"
            self.assertTrue(asu.mark_agent_stopped("One Shot C"))
        self.assertEqual(self.server.requests[-1]["body"]["p_kind"], "stopped")
        self.assertEqual(self.metrics()[-1]["counters"], {"retries": 4})

    def test_metrics_refused_by_the_backend_do_not_cost_a_later_call_its_report(self):
        refusal = (422, {"code": "PT422", "message": "an agent keeps at most 20 custom metrics", "details": None,
                         "hint": None})
        self.server.close()
        self.server = RecordingServer(
            lambda request: refusal if request["body"]["p_info"].get("metrics") else (200, answer_row()))
        asu.configure(asu.Config(self.server.url, keys.SECRET, None), timeout=2)
        with self.assertLogs("agent_status_updater", "WARNING"):
            self.assertFalse(asu.metric("One Shot D", "queue_length", 1))
        # a metric left pending (as after a failed call) rides on the warning, is refused, and the warning goes again
        self.assertIsNone(asu.seed_compatible._metrics_of("One Shot D").gauge("queue_length", 2))
        self.assertTrue(asu.report_warning("One Shot D", "slow"))
        self.assertEqual([r["body"]["p_kind"] for r in self.server.requests], ["heartbeat", "warning", "warning"])
        self.assertEqual(self.metrics()[1:], [{"gauges": {"queue_length": 2}, "series": self.metrics()[0]["series"]}, None])
