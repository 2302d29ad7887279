import unittest
from collections import namedtuple

from agent_status_updater.coalesce import enqueue_coalesced, supersedes

Report = namedtuple("Report", ["kind", "n"])


def run(kinds, in_flight_index=None):
    queue, in_flight = [], None
    for n, kind in enumerate(kinds):
        report = Report(kind, n)
        queue = enqueue_coalesced(queue, report, in_flight)
        if n == in_flight_index:
            in_flight = report
    return [item.kind for item in queue]


class Coalescing(unittest.TestCase):
    def test_a_flood_while_the_backend_is_away_collapses(self):
        self.assertEqual(run(["error"] + ["heartbeat"] * 50 + ["started"]), ["error", "started"])

    def test_the_latest_status_wins_but_an_error_is_never_hidden(self):
        self.assertEqual(run(["started", "warning", "recovered", "stopped"]), ["stopped"])
        self.assertEqual(run(["error", "warning", "stopped"]), ["error", "stopped"])
        self.assertEqual(run(["error", "error"]), ["error"])

    def test_an_activity_is_replaced_only_by_a_later_activity(self):
        self.assertEqual(run(["activity", "warning", "activity"]), ["warning", "activity"])

    def test_at_most_one_report_per_kind(self):
        kinds = ["started", "activity", "heartbeat", "warning", "error", "activity", "recovered", "heartbeat", "error"]
        queue = run(kinds)
        self.assertEqual(len(queue), len(set(queue)))

    def test_a_heartbeat_is_queued_behind_a_report_in_flight_because_it_is_also_a_poll(self):
        self.assertEqual(run(["started", "heartbeat"], in_flight_index=0), ["started", "heartbeat"])
        self.assertEqual(run(["started", "activity", "heartbeat"], in_flight_index=0), ["started", "activity"])

    def test_supersedes(self):
        self.assertTrue(supersedes("activity", "heartbeat"))
        self.assertTrue(supersedes("stopped", "started"))
        self.assertFalse(supersedes("stopped", "error"))
        self.assertFalse(supersedes("heartbeat", "started"))
        self.assertFalse(supersedes("warning", "activity"))


if __name__ == "__main__":
    unittest.main()
