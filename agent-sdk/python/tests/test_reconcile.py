import unittest

from agent_status_updater.reconcile import (
    ACKNOWLEDGE, NOTHING, REPORT_STOPPED, RESTART, START, STOP, WorkerState, decide, is_newer,
)
from agent_status_updater.result import Desired


def desired(state, generation, command=None):
    return Desired("id", "Agent", state, generation, command, 0)


def worker(work=None, carried_out=None, restart_pending_for=None, finished=None):
    return WorkerState(work, carried_out, restart_pending_for, finished)


class Decide(unittest.TestCase):
    def test_stopped_with_work_running_stops_it(self):
        self.assertEqual(decide(desired("stopped", 4, "stop"), worker(work=3, carried_out=3)), STOP)

    def test_stopped_without_work_reports_stopped_once_per_generation(self):
        self.assertEqual(decide(desired("stopped", 0), worker()), REPORT_STOPPED)  # a fresh agent clears a stale row
        self.assertEqual(decide(desired("stopped", 4, "stop"), worker(carried_out=3)), REPORT_STOPPED)
        self.assertEqual(decide(desired("stopped", 4, "stop"), worker(carried_out=4)), NOTHING)

    def test_running_without_work_starts_it(self):
        self.assertEqual(decide(desired("running", 1, "start"), worker(carried_out=0)), START)

    def test_running_with_work_of_this_generation_is_nothing_to_do(self):
        self.assertEqual(decide(desired("running", 5, "start"), worker(work=5, carried_out=5)), NOTHING)

    def test_a_restart_restarts_exactly_once_per_generation(self):
        self.assertEqual(decide(desired("running", 6, "restart"), worker(work=5, carried_out=5)), RESTART)
        self.assertEqual(decide(desired("running", 6, "restart"), worker(work=6, carried_out=6)), NOTHING)

    def test_stop_and_start_between_two_polls_is_acknowledged_without_touching_the_work(self):
        self.assertEqual(decide(desired("running", 7, "start"), worker(work=5, carried_out=5)), ACKNOWLEDGE)

    def test_a_newer_command_skips_the_crash_backoff(self):
        self.assertEqual(decide(desired("running", 5, "start"), worker(carried_out=5, restart_pending_for=5)), NOTHING)
        self.assertEqual(decide(desired("running", 6, "restart"), worker(carried_out=5, restart_pending_for=5)), START)

    def test_a_work_that_returned_by_itself_waits_for_the_next_command(self):
        self.assertEqual(decide(desired("running", 5, "start"), worker(carried_out=5, finished=5)), NOTHING)
        self.assertEqual(decide(desired("running", 6, "restart"), worker(carried_out=5, finished=5)), START)


class Ordering(unittest.TestCase):
    def test_an_older_generation_never_undoes_a_newer_one(self):
        self.assertTrue(is_newer(desired("running", 3), None))
        self.assertTrue(is_newer(desired("running", 3), desired("running", 3)))
        self.assertFalse(is_newer(desired("running", 2), desired("stopped", 3)))


if __name__ == "__main__":
    unittest.main()
