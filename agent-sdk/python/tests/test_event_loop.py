import threading
import time
import unittest

from agent_status_updater.event_loop import EventLoop

from .fakes import run_loop_until


class EventLoopTest(unittest.TestCase):
    def test_calls_posted_from_other_threads_are_made_in_order_on_the_loops_thread(self):
        loop = EventLoop()
        calls = []
        post = lambda n: loop.post(lambda: calls.append((n, threading.current_thread())))  # noqa: E731
        threading.Thread(target=lambda: [post(n) for n in range(5)]).start()
        run_loop_until(loop, lambda: len(calls) == 5)
        self.assertEqual([n for n, _ in calls], [0, 1, 2, 3, 4])
        self.assertTrue(all(thread is threading.current_thread() for _, thread in calls))

    def test_timers_fire_in_the_order_they_fall_due_and_a_cleared_one_never_fires(self):
        loop = EventLoop()
        fired = []
        loop.set_timeout(fired.append, 0.06, "late")
        cleared = loop.set_timeout(fired.append, 0.03, "cleared")
        loop.set_timeout(fired.append, 0.01, "early")
        loop.clear_timeout(cleared)
        loop.clear_timeout(None)  # nothing to clear: nothing happens
        run_loop_until(loop, lambda: len(fired) == 2)
        self.assertEqual(fired, ["early", "late"])

    def test_a_posted_call_does_not_wait_for_a_timer_that_is_not_due(self):
        loop = EventLoop()
        done = []
        loop.set_timeout(done.append, 60, "timer")
        threading.Timer(0.05, lambda: loop.post(done.append, "posted")).start()
        started = time.monotonic()
        run_loop_until(loop, lambda: done)
        self.assertEqual(done, ["posted"])
        self.assertLess(time.monotonic() - started, 30)

    def test_run_until_returns_as_soon_as_it_is_done(self):
        loop = EventLoop()
        calls = []
        for n in range(3):
            loop.post(calls.append, n)
        run_loop_until(loop, lambda: calls == [0])
        self.assertEqual(calls, [0])


if __name__ == "__main__":
    unittest.main()
