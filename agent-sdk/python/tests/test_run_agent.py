import json
import logging
import os
import tempfile
import threading
import time
import unittest
from unittest import mock

from agent_status_updater.config import ConfigurationError
from agent_status_updater.result import failed
from agent_status_updater.run_agent import run_agent

from .fakes import NETWORK_DOWN, FakeBackend

POLL = 0.05


def eventually(check, what, timeout=3.0):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.01)


class CountingWork:
    """A work that counts its starts and ends, and runs until told to stop."""

    def __init__(self):
        self.starts = self.ends = 0
        self.generations = []
        self.lock = threading.Lock()

    def __call__(self, stop_event, agent):
        with self.lock:
            self.starts += 1
            self.generations.append(agent.generation)
        stop_event.wait()
        with self.lock:
            self.ends += 1

    @property
    def running(self):
        with self.lock:
            return self.starts - self.ends


class Worker(unittest.TestCase):
    def start(self, work, backend=None, **options):
        self.backend = backend or FakeBackend()
        self.stop = threading.Event()
        self.lines = []
        self.code = []
        settings = dict(heartbeat_interval=1, poll_interval=POLL, restart_delay=0.05, max_backoff=0.2,
                        shutdown_timeout=1, log=self.lines.append, stop_event=self.stop)
        settings.update(options)
        self.thread = threading.Thread(
            target=lambda: self.code.append(run_agent("Test Agent", work, client=self.backend, **settings)), daemon=True
        )
        self.thread.start()
        eventually(lambda: self.backend.reports, "the first report")
        return self.backend

    def finish(self):
        self.stop.set()
        self.thread.join(5)
        self.assertFalse(self.thread.is_alive())
        return self.code[0]

    def test_waits_for_a_start_then_obeys_stop_start_and_restart_exactly_once(self):
        work = CountingWork()
        backend = self.start(work)
        time.sleep(3 * POLL)
        self.assertEqual(work.starts, 0)  # seeded stopped: waits for a start
        self.assertEqual(backend.status, "stopped")

        generation = backend.command("start")
        eventually(lambda: work.running == 1 and backend.observed_generation == generation, "started")
        self.assertEqual(backend.status, "running")

        generation = backend.command("stop")
        eventually(lambda: work.running == 0 and backend.status == "stopped", "stopped")
        eventually(lambda: backend.observed_generation == generation, "stop acknowledged")

        backend.command("start")
        eventually(lambda: work.running == 1, "running again")
        generation = backend.command("restart")
        eventually(lambda: backend.observed_generation == generation, "restart acknowledged")
        time.sleep(5 * POLL)
        self.assertEqual((work.starts, work.ends), (3, 2))  # the restart stopped and started once
        self.assertEqual(work.generations, [1, 3, 4])

        self.assertEqual(self.finish(), 0)
        self.assertEqual(backend.kinds()[-1], "stopped")
        self.assertEqual(work.running, 0)

    def test_every_report_carries_the_agents_info_and_acknowledgement(self):
        backend = self.start(CountingWork(), version="1.2.3")
        backend.command("start")
        eventually(lambda: backend.status == "running", "running")
        self.finish()
        info = backend.reports[-1]["info"]
        self.assertEqual(info["version"], "1.2.3")
        self.assertEqual(info["heartbeat_interval_seconds"], 1)
        self.assertIn("pid", info)
        self.assertIn("host", info)
        self.assertEqual(backend.reports[-1]["observed_generation"], 1)

    def test_each_run_is_an_instance_new_until_answered_and_released_on_a_clean_exit(self):
        backend = self.start(CountingWork())
        backend.command("start")
        eventually(lambda: backend.status == "running", "running")
        self.finish()
        infos = [r["info"] for r in backend.reports]
        instance = infos[0]["instance_id"]
        self.assertRegex(instance, r"^[0-9a-f-]{36}$")
        self.assertTrue(all(info["instance_id"] == instance for info in infos))
        self.assertTrue(infos[0]["instance_new"])
        self.assertNotIn("instance_new", infos[-1])
        self.assertTrue(infos[-1]["instance_exiting"])
        self.assertEqual(backend.kinds()[-1], "stopped")

    def test_a_worker_stands_down_when_a_newer_instance_takes_the_agent_over(self):
        work = CountingWork()
        backend = self.start(work)
        backend.command("start")
        eventually(lambda: work.running == 1, "running")
        backend.instance_holder = "bbbbbbbb-newer"
        self.thread.join(5)
        self.assertFalse(self.thread.is_alive())  # returned by itself
        self.assertEqual(self.code, [0])
        self.assertEqual(work.running, 0)
        self.assertTrue(any("stands down" in line for line in self.lines))
        sent = len(backend.reports)
        time.sleep(5 * POLL)
        self.assertEqual(len(backend.reports), sent)  # reports no more
        self.assertNotEqual(backend.kinds()[-1], "stopped")  # and never said stopped: the agent is not its to report

    def test_stop_and_start_between_two_polls_is_acknowledged_without_restarting(self):
        work = CountingWork()
        backend = self.start(work, poll_interval=0.3)
        backend.command("start")
        eventually(lambda: work.running == 1, "running")
        backend.command("stop")
        generation = backend.command("start")
        eventually(lambda: backend.observed_generation == generation, "acknowledged", timeout=2)
        self.assertEqual(work.starts, 1)
        self.finish()

    def test_a_crash_is_reported_as_an_error_and_the_work_restarts_with_backoff(self):
        attempts = []

        def work(stop_event, agent):
            attempts.append(time.monotonic())
            if len(attempts) < 3:
                raise ValueError("boom %d" % len(attempts))
            stop_event.wait()

        backend = self.start(work)
        backend.command("start")
        eventually(lambda: len(attempts) == 3, "two restarts")
        errors = [r for r in backend.reports if r["kind"] == "error"]
        self.assertEqual([e["message"] for e in errors], ["ValueError: boom 1", "ValueError: boom 2"])
        self.assertGreaterEqual(attempts[2] - attempts[1], attempts[1] - attempts[0])  # the delay doubles
        self.assertTrue(any("work crashed" in line and "Traceback" in line for line in self.lines))
        self.finish()

    def test_a_stop_during_a_crash_backoff_cancels_the_restart(self):
        attempts = []

        def work(stop_event, agent):
            attempts.append(agent.generation)
            raise ValueError("boom")

        backend = self.start(work, restart_delay=0.5, max_backoff=0.5)
        backend.command("start")
        eventually(lambda: any(line.startswith("restarting in 0.5 s") for line in self.lines), "the crash backoff", 10)
        generation = backend.command("stop")
        eventually(lambda: backend.observed_generation == generation and backend.status == "stopped", "stopped", 10)
        time.sleep(1.0)  # twice the backoff
        self.assertEqual(attempts, [1])
        self.finish()

    def test_on_error_exit_reports_the_crash_and_returns_1(self):
        def work(stop_event, agent):
            raise RuntimeError("fatal")

        backend = self.start(work, on_error="exit")
        backend.command("start")
        self.thread.join(5)
        self.assertEqual(self.code, [1])
        self.assertEqual(backend.kinds()[-1], "error")  # the row keeps saying error: that is what happened

    def test_a_work_that_returns_is_reported_stopped_and_waits_for_the_next_command(self):
        runs = []
        backend = self.start(lambda stop_event, agent: runs.append(agent.generation))
        backend.command("start")
        eventually(lambda: backend.status == "stopped" and runs == [1], "returned")
        time.sleep(5 * POLL)
        self.assertEqual(runs, [1])
        backend.command("restart")
        eventually(lambda: runs == [1, 2], "started again by the restart")
        self.finish()

    def test_heartbeats_restate_what_the_worker_does_so_a_status_changed_by_a_one_shot_script_heals(self):
        warn = threading.Event()

        def work(stop_event, agent):
            warn.wait()
            agent.report_warning("disk almost full")
            stop_event.wait()

        backend = self.start(work)
        self.assertNotIn("state", backend.reports[0]["info"])  # the first poll: nothing runs yet
        backend.command("start")
        eventually(lambda: backend.status == "running", "running")
        backend.status = "stopped"  # mark_agent_stopped from an old script's atexit
        eventually(lambda: backend.status == "running", "healed by the next heartbeat")
        self.assertEqual(backend.reports[-1]["info"]["state"], "running")
        warn.set()
        eventually(lambda: backend.status == "warning", "warning")
        backend.status = "running"  # a one-shot started report
        eventually(lambda: backend.status == "warning", "the warning restated")
        backend.command("stop")
        eventually(lambda: backend.status == "stopped" and backend.observed_generation == 2, "stopped")
        backend.status = "running"
        eventually(lambda: backend.status == "stopped", "a stopped worker restates stopped")
        self.finish()

    def test_the_work_reports_through_the_agent(self):
        def work(stop_event, agent):
            agent.report_activity("did things")
            stop_event.wait(0.1)  # reports that are still waiting coalesce: the recovered would replace the warning
            agent.report_warning("careful")
            stop_event.wait(0.1)
            agent.report_recovered()
            stop_event.wait()

        backend = self.start(work)
        backend.command("start")
        eventually(lambda: "recovered" in backend.kinds(), "the work's reports")
        self.finish()
        reported = [(r["kind"], r["message"], r["health"]) for r in backend.reports if r["kind"] in ("activity", "warning", "recovered")]
        self.assertEqual(reported, [("activity", "did things", None), ("warning", "careful", 75), ("recovered", None, 100)])

    def test_the_works_metric_and_count_ride_on_the_next_report_with_the_runs_instance_as_their_series(self):
        def work(stop_event, agent):
            agent.metric("queue_length", 4)
            agent.count("articles")
            agent.count("articles", 2)
            stop_event.wait()

        backend = self.start(work)
        backend.command("start")
        eventually(lambda: any(backend.metrics()), "a report with metrics")
        carrying = next(r for r in backend.reports if (r["info"] or {}).get("metrics"))
        self.assertEqual(carrying["info"]["metrics"], {"gauges": {"queue_length": 4}, "counters": {"articles": 3}})
        self.assertTrue(carrying["info"]["instance_id"])
        sent = len(backend.reports)
        eventually(lambda: len(backend.reports) > sent + 2, "more heartbeats")
        self.assertEqual([m for m in backend.metrics()[sent:] if m], [], "sent once, until a metric changes")
        self.finish()

    def test_a_metric_the_backend_would_refuse_is_logged_once_per_name_and_dropped(self):
        ticks = []

        def work(stop_event, agent):
            while not stop_event.is_set():
                agent.metric("Bad Name", 1)
                agent.metric("rate", float("nan"))
                ticks.append(1)
                stop_event.wait(0.005)

        backend = self.start(work)
        backend.command("start")
        eventually(lambda: len(ticks) > 10, "the work keeps running")
        self.finish()
        self.assertEqual([line for line in self.lines if line.startswith("metric dropped")], [
            'metric dropped: metric name "Bad Name" must start with a lower-case letter and hold only lower-case '
            'letters, digits and underscores (further problems with "Bad Name" are not logged)',
            'metric dropped: metric "rate" must be a finite number, got nan (further problems with "rate" are not logged)',
        ])
        self.assertEqual([m for m in backend.metrics() if m], [])

    def test_metrics_refused_by_the_backend_cost_no_report(self):
        def work(stop_event, agent):
            agent.metric("queue_length", 1)
            stop_event.wait()

        backend = FakeBackend()
        backend.refuse_metrics = 'metric "queue_length" of this agent is a counter and cannot be reported as a gauge'
        self.start(work, backend=backend)
        backend.command("start")
        eventually(lambda: any(line.startswith("custom metrics refused") for line in self.lines), "the refusal, logged")
        eventually(lambda: backend.status == "running", "the started report went without the metrics")
        self.finish()
        self.assertIn('custom metrics refused (PT422: metric "queue_length" of this agent is a counter and cannot be '
                      "reported as a gauge); the report went without them, and metrics wait 60 s before they are sent "
                      "again", self.lines)

    def test_keeps_working_while_the_backend_is_away_and_catches_up_when_it_returns(self):
        work = CountingWork()
        backend = self.start(work)
        backend.command("start")
        eventually(lambda: work.running == 1, "running")
        backend.fail = NETWORK_DOWN
        time.sleep(0.3)
        self.assertEqual(work.running, 1)
        self.assertTrue(any("backend unreachable" in line for line in self.lines))
        backend.fail = None
        generation = backend.command("stop")
        eventually(lambda: work.running == 0 and backend.observed_generation == generation, "stopped after the outage")
        self.assertTrue(any("reachable again" in line for line in self.lines))
        self.finish()

    def test_a_refused_worker_says_why_once_keeps_its_work_and_asks_again_only_after_a_growing_hold(self):
        work = CountingWork()
        backend = self.start(work, refused_retry=0.4)
        backend.command("start")
        eventually(lambda: work.running == 1, "running")
        backend.fail = failed("PT401", "invalid or revoked agent token", 401, False)  # revoked, or the agent deleted
        eventually(lambda: any("refused this worker" in line for line in self.lines), "the refusal explained")
        explained = [line for line in self.lines if "refused this worker" in line]
        self.assertEqual(len(explained), 1)
        self.assertRegex(explained[0], r"PT401: invalid or revoked agent token\): its token was revoked, or its agent was deleted\..*"
                                       r"new token.*Asking again in 0\.4 s\.")
        # Polling every 50 ms would send ~6 reports in 300 ms; held back, at most the one in flight goes out.
        at_refusal = len(backend.reports)
        time.sleep(0.3)
        self.assertLessEqual(len(backend.reports) - at_refusal, 1)
        eventually(lambda: any(line.startswith("still refused (PT401") for line in self.lines), "the attempt after the hold")
        after_second = len(backend.reports)
        time.sleep(1.2)  # holds of 0.8 s, then 1.6 s: at most two more attempts
        self.assertLessEqual(len(backend.reports) - after_second, 2)
        self.assertEqual(work.running, 1)  # the work is left as it is
        self.assertEqual(work.starts, 1)
        self.assertTrue(self.thread.is_alive())  # and the worker goes on
        backend.fail = None
        eventually(lambda: "Agent Status accepts this worker again; monitoring resumes" in self.lines, "accepted again", 5)
        self.assertEqual(self.finish(), 0)

    def test_a_work_that_ignores_its_stop_event_does_not_block_the_shutdown(self):
        backend = self.start(lambda stop_event, agent: time.sleep(60), shutdown_timeout=0.4)
        backend.command("start")
        eventually(lambda: backend.status == "running", "running")
        started = time.monotonic()
        self.assertEqual(self.finish(), 0)
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertEqual(backend.status, "stopped")
        self.assertTrue(any("ignored its stop event" in line for line in self.lines))

    def test_refuses_a_missing_name_or_work_or_a_pace_of_zero(self):
        with self.assertRaises(TypeError):
            run_agent("", lambda s, a: None, client=FakeBackend())
        with self.assertRaises(TypeError):
            run_agent("A", None, client=FakeBackend())
        with self.assertRaises(ValueError):
            run_agent("A", lambda s, a: None, client=FakeBackend(), poll_interval=0)

    def test_a_missing_configuration_raises_before_anything_runs(self):
        started = []
        previous = os.getcwd()
        with tempfile.TemporaryDirectory() as directory, mock.patch.dict(os.environ, {"SUPABASE_URL": "http://h"}, clear=True):
            os.chdir(directory)
            try:
                with self.assertRaisesRegex(ConfigurationError, "no credentials"):
                    run_agent("A", lambda s, a: started.append(1))
            finally:
                os.chdir(previous)
        self.assertEqual(started, [])



class AgentLog(Worker):
    """agent.log, its logging.Handler, the live tail through the report answers, and the last lines before a crash."""

    def error_lines(self):
        reports = [r for r in self.backend.reports if r["kind"] == "error"]
        return ((reports[-1]["info"] or {}).get("log_lines") or []) if reports else []

    def test_a_crash_is_reported_with_the_last_lines_redacted_and_the_traceback_last(self):
        def work(stop_event, agent):
            agent.log.info("fetching feed", {"feed": "a"})
            agent.log.warn("retrying with password=hunter2", {"apiKey": "k-1"})
            agent.log("plain line")
            raise RuntimeError("feed down")

        backend = self.start(work, on_error="exit", logs={"echo": False})
        backend.command("start")
        eventually(lambda: "error" in backend.kinds(), "the error report")
        lines = self.error_lines()
        self.assertEqual([(l["level"], l["text"], l.get("fields")) for l in lines[:3]], [
            ("info", "fetching feed", {"feed": "a"}),
            ("warn", "retrying with password=[redacted]", {"apiKey": "[redacted]"}),
            ("info", "plain line", None),
        ])
        self.assertEqual(lines[3]["level"], "error")
        self.assertRegex(lines[3]["text"], r"^work crashed: Traceback[\s\S]*RuntimeError: feed down")
        self.assertNotIn("hunter2", str(lines))
        self.assertEqual(self.finish(), 1)

    def test_report_error_sends_the_last_lines_other_reports_never_do(self):
        def work(stop_event, agent):
            agent.log.info("step 1")
            agent.report_warning("slow")
            agent.log.error("step 2 failed")
            agent.report_error("gave up on step 2")
            stop_event.wait()

        backend = self.start(work, logs={"echo": False})
        backend.command("start")
        eventually(lambda: "error" in backend.kinds(), "the error report")
        self.assertEqual([l["text"] for l in self.error_lines()], ["step 1", "step 2 failed"])
        self.assertTrue(all(not (r["info"] or {}).get("log_lines") for r in backend.reports if r["kind"] != "error"))
        self.finish()

    def test_crash_lines_are_bounded_and_can_be_turned_off(self):
        def work(stop_event, agent):
            for i in range(500):
                agent.log.info("line %d %s" % (i, "x" * 500))
            raise RuntimeError("boom")

        backend = self.start(work, on_error="exit", logs={"echo": False})
        backend.command("start")
        eventually(lambda: "error" in backend.kinds(), "the error report")
        lines = self.error_lines()
        self.assertLessEqual(len(lines), 50)
        self.assertLessEqual(len(json.dumps(lines).encode("utf-8")), 16384)
        self.finish()

        backend = self.start(work, on_error="exit", logs={"echo": False, "crash_lines": 0})
        backend.command("start")
        eventually(lambda: "error" in backend.kinds(), "the error report")
        self.assertEqual(self.error_lines(), [])
        self.finish()

    def test_the_root_logger_is_captured_on_request_and_given_back(self):
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.INFO)
        self.addCleanup(root.setLevel, level)
        handlers = list(root.handlers)

        def work(stop_event, agent):
            logging.getLogger("app").info("through logging", extra={"feed": "b"})
            raise RuntimeError("boom")

        backend = self.start(work, on_error="exit", logs={"echo": False, "capture_root_logger": True})
        backend.command("start")
        eventually(lambda: "error" in backend.kinds(), "the error report")
        self.assertEqual(self.error_lines()[0]["text"], "through logging")
        self.assertEqual(self.error_lines()[0]["fields"], {"feed": "b", "logger": "app"})
        self.assertEqual(self.finish(), 1)
        self.assertEqual(root.handlers, handlers)

    def test_a_watch_learned_from_the_answers_sends_the_backlog_then_new_lines_then_stops(self):
        logs = []

        def work(stop_event, agent):
            logs.append(agent.log)
            stop_event.wait()

        backend = self.start(work, logs={"echo": False})
        backend.command("start")
        eventually(lambda: logs, "the work")
        logs[0].info("before anyone watched")
        time.sleep(0.3)
        self.assertEqual(backend.batches, [])
        backend.watch(1.5)
        eventually(lambda: any(b.get("backlog_end") for b in backend.batches), "the backlog")
        self.assertEqual([l["text"] for l in backend.lines()], ["before anyone watched"])
        logs[0].info("while watched")
        eventually(lambda: "while watched" in [l["text"] for l in backend.lines()], "a live line")
        time.sleep(2)
        count = len(backend.batches)
        logs[0].info("after the watch")
        time.sleep(1)
        self.assertEqual(len(backend.batches), count)
        self.finish()

    def test_agent_log_line_still_works_and_logging_never_raises(self):
        def work(stop_event, agent):
            agent.log("a line, as before")
            agent.log.info(object(), {"weird": object()})
            stop_event.wait()

        backend = self.start(work, logs={"echo": False, "redact": lambda line: 1 / 0})
        backend.command("start")
        eventually(lambda: backend.status == "running", "running")
        self.assertEqual(self.finish(), 0)
        self.assertTrue(any("redaction hook raised" in line for line in self.lines))

    def test_refuses_unknown_logs_options(self):
        with self.assertRaisesRegex(TypeError, "unknown logs option"):
            run_agent("A", lambda s, a: None, client=FakeBackend(), logs={"capture_console": True})


if __name__ == "__main__":
    unittest.main()
