import threading
import unittest

from agent_status_updater.work_runner import WorkRunner

from .fakes import ManualLoop


class Work:
    """A work that runs until told to stop, or crashes (raise_next) or returns (return_next) when the test says."""

    def __init__(self):
        self.generations = []
        self.stop_events = []
        self.raise_next = self.return_next = None
        self.go = threading.Event()

    def __call__(self, stop_event, agent):
        self.generations.append(agent.generation)
        self.stop_events.append(stop_event)
        if self.raise_next or self.return_next:
            raising, self.raise_next, self.return_next = self.raise_next, None, None
            if raising:
                raise raising
            return
        stop_event.wait()


class WorkRunnerTest(unittest.TestCase):
    def runner(self, work, **options):
        self.loop = ManualLoop()
        self.reports = []
        self.lines = []
        self.started = []
        self.fatal = []
        self.restart_at = options.pop("restart_at", lambda crashed: crashed)
        settings = dict(
            name="A", work=work, report=lambda kind, message=None, health=None, info=None: self.reports.append((kind, message)),
            log=self.lines.append, on_error="restart", min_uptime=60, restart_delay=1.0, max_backoff=8.0,
            stop_budget=2.0, on_start=self.started.append, on_fatal_crash=lambda: self.fatal.append(True),
            restart_due=lambda crashed: self.restart_at(crashed), loop=self.loop,
        )
        settings.update(options)
        return WorkRunner(**settings)

    def test_start_says_started_before_the_work_runs_and_the_work_sees_its_generation(self):
        work = Work()
        runner = self.runner(work)
        runner.start(3)
        self.assertEqual((self.started, self.reports), ([3], [("started", None)]))
        self.assertEqual(runner.running_generation(), 3)
        runner.stop()
        self.assertEqual(work.generations, [3])
        self.assertIsNone(runner.running_generation())
        self.assertEqual(self.lines[-1], "work stopped")

    def test_a_work_that_ignores_its_stop_event_is_given_up_after_the_stop_budget(self):
        release = threading.Event()
        runner = self.runner(lambda stop_event, agent: release.wait(), stop_budget=0.1)
        runner.start(1)
        runner.stop()
        release.set()
        self.assertIsNone(runner.running_generation())
        self.assertIn("work ignored its stop event for 0.1 s; reporting stopped anyway", self.lines)

    def test_a_work_that_returns_by_itself_is_reported_stopped_and_remembered(self):
        work = Work()
        work.return_next = True
        runner = self.runner(work)
        runner.start(2)
        self.loop.run_posted()
        self.assertIsNone(runner.running_generation())
        self.assertEqual(runner.finished_generation(), 2)
        self.assertEqual(self.reports[-1], ("stopped", None))
        runner.start(3)
        self.assertIsNone(runner.finished_generation())  # cleared by the next start
        runner.stop()

    def test_a_crash_is_reported_and_restarted_after_a_backoff_that_doubles(self):
        work = Work()
        runner = self.runner(work)
        work.raise_next = ValueError("boom")
        runner.start(4)
        self.loop.run_posted()
        self.assertEqual(self.reports[-1], ("error", "ValueError: boom"))
        self.assertIn("Traceback", [line for line in self.lines if line.startswith("work crashed")][0])
        self.assertEqual((runner.running_generation(), runner.restart_pending_for()), (None, 4))
        self.assertEqual(self.loop.delays(), [1.0])
        work.raise_next = ValueError("boom again")
        self.loop.advance(1.0)
        self.assertEqual(runner.running_generation(), 4)
        self.loop.run_posted()
        self.assertEqual(self.loop.delays(), [2.0])  # a quick second crash waits twice as long
        self.loop.advance(2.0)
        self.assertEqual(work.generations, [4, 4, 4])
        runner.stop()

    def crash_repeatedly(self, runner, work, times):
        """Starts the work, which crashes, then lets each restart crash again: ``times`` crashes in all."""
        work.raise_next = ValueError("boom")
        runner.start(1)
        self.loop.run_posted()
        for _ in range(times - 1):
            work.raise_next = ValueError("boom")
            self.loop.advance(self.loop.delays()[0])
            self.loop.run_posted()

    def test_a_run_that_lasted_min_uptime_resets_the_backoff(self):
        work = Work()
        runner = self.runner(work, min_uptime=0)
        self.crash_repeatedly(runner, work, 3)
        self.assertEqual(self.loop.delays(), [1.0])
        self.assertEqual(work.generations, [1, 1, 1])
        runner.cancel_restart()

    def test_the_restart_starts_what_restart_due_says_or_nothing(self):
        work = Work()
        runner = self.runner(work, restart_at=lambda crashed: None)
        work.raise_next = ValueError("boom")
        runner.start(1)
        self.loop.run_posted()
        self.loop.advance(1.0)
        self.assertEqual((runner.running_generation(), runner.restart_pending_for()), (None, None))
        self.restart_at = lambda crashed: crashed + 5  # e.g. a command arrived during the backoff
        work.raise_next = ValueError("boom")
        runner.start(1)
        self.loop.run_posted()
        self.loop.advance(10)
        self.assertEqual(runner.running_generation(), 6)
        runner.stop()

    def test_cancel_restart_leaves_the_work_stopped(self):
        work = Work()
        runner = self.runner(work)
        work.raise_next = ValueError("boom")
        runner.start(1)
        self.loop.run_posted()
        runner.cancel_restart()
        self.loop.advance(60)
        self.assertEqual((runner.running_generation(), runner.restart_pending_for(), work.generations), (None, None, [1]))

    def test_an_operators_command_skips_the_backoff_and_forgets_the_earlier_crashes(self):
        work = Work()
        runner = self.runner(work)
        self.crash_repeatedly(runner, work, 3)
        self.assertEqual(self.loop.delays(), [4.0])
        runner.start_skipping_backoff(2)
        self.assertEqual((runner.running_generation(), runner.restart_pending_for()), (2, None))
        self.assertEqual(self.loop.delays(), [])
        work.raise_next = ValueError("boom")
        runner.stop()
        runner.start(2)
        self.loop.run_posted()
        self.assertEqual(self.loop.delays(), [1.0])  # the count started over

    def test_with_on_error_exit_a_crash_is_fatal_and_never_restarted(self):
        work = Work()
        runner = self.runner(work, on_error="exit")
        work.raise_next = RuntimeError("fatal")
        runner.start(1)
        self.loop.run_posted()
        self.assertEqual(self.fatal, [True])
        self.assertEqual(self.reports[-1], ("error", "RuntimeError: fatal"))
        self.assertEqual((runner.restart_pending_for(), self.loop.delays()), (None, []))

    def test_a_retarget_moves_the_running_work_to_a_newer_generation(self):
        work = Work()
        runner = self.runner(work)
        runner.retarget(9)  # nothing runs: nothing to move
        runner.start(1)
        runner.retarget(2)
        self.assertEqual(runner.running_generation(), 2)
        runner.stop()

    def test_the_end_of_a_stopped_or_older_run_is_not_mistaken_for_a_crash(self):
        def work(stop_event, agent):
            stop_event.wait()
            raise RuntimeError("raised while stopping")

        runner = self.runner(work)
        runner.start(1)
        runner.stop()
        self.loop.run_posted()
        self.assertNotIn("error", [kind for kind, _ in self.reports])
        self.assertEqual(self.loop.delays(), [])


if __name__ == "__main__":
    unittest.main()
