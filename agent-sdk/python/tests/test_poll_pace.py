import unittest

from agent_status_updater.poll_pace import PollPace

from .fakes import ManualLoop


class PollPaceWithoutPush(unittest.TestCase):
    def setUp(self):
        self.loop = ManualLoop()
        self.polls = []
        self.pace = PollPace(2.0, lambda: self.polls.append(self.loop.now), self.loop)

    def polls_during(self, seconds):
        before = len(self.polls)
        self.loop.advance(seconds)
        return self.polls[before:]

    def test_asks_at_once_then_every_interval(self):
        self.pace.poll_now()
        self.assertEqual(self.polls, [0.0])
        self.assertEqual(self.polls_during(7), [2.0, 4.0, 6.0])
        self.assertEqual(self.pace.interval(), 2.0)

    def test_an_extra_ask_restarts_the_interval_instead_of_adding_a_timer(self):
        self.pace.poll_now()
        self.loop.advance(1.5)
        self.pace.poll_now()
        self.assertEqual(self.loop.delays(), [2.0])
        self.assertEqual(self.polls_during(4), [3.5, 5.5])

    def test_stopped_it_asks_no_more_whatever_happens(self):
        self.pace.poll_now()
        self.pace.stop()
        self.pace.poll_now()
        self.assertEqual(self.polls_during(10), [])
        self.assertEqual(self.polls, [0.0])
        self.assertEqual(self.loop.delays(), [])


if __name__ == "__main__":
    unittest.main()
