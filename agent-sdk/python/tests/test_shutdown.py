import os
import signal
import threading
import unittest

from agent_status_updater.event_loop import EventLoop
from agent_status_updater.shutdown import STAND_DOWN, Shutdown, install_shutdown_triggers

from .fakes import ManualLoop, run_loop_until


class RecordingReporter:
    def __init__(self, steps, delivers=True):
        self.steps = steps
        self.delivers = delivers

    def enqueue(self, kind, message=None, health=None):
        self.steps.append("enqueue " + kind)

    def flush(self, timeout):
        self.steps.append("flush")
        return self.delivers

    def close(self):
        self.steps.append("close")


def plan(steps, delivers=True):
    return Shutdown(
        log=lambda line: steps.append("log " + line), timeout=1.0, quiesce=lambda: steps.append("quiesce"),
        stop_work=lambda: steps.append("stop work"), reporter=RecordingReporter(steps, delivers),
        release=lambda: steps.append("release"),
    )


class ShutdownTest(unittest.TestCase):
    def test_ends_once_in_order_nothing_new_then_the_work_then_the_final_report(self):
        steps = []
        ending = plan(steps)
        self.assertFalse(ending.is_shutting_down())
        self.assertEqual(ending.shutdown(0, "SIGTERM"), 0)
        self.assertEqual(steps, ["log shutting down (SIGTERM)", "quiesce", "stop work", "enqueue stopped", "flush",
                                 "close", "release"])
        self.assertTrue(ending.is_shutting_down() and ending.is_done())
        self.assertEqual(ending.shutdown(1, "crash"), 0)  # the first shutdown's code; nothing runs twice
        self.assertEqual(len(steps), 7)
        self.assertEqual(ending.code, 0)

    def test_a_crash_or_a_stand_down_sends_no_final_stopped_report(self):
        for reason in ("crash", STAND_DOWN):
            steps = []
            plan(steps).shutdown(1, reason)
            self.assertNotIn("enqueue stopped", steps, reason)
            self.assertIn("flush", steps)  # what is already queued still goes out

    def test_says_so_when_the_final_report_is_not_delivered_in_time(self):
        steps = []
        plan(steps, delivers=False).shutdown(0, "stop_event")
        self.assertIn("log could not deliver the final report before the shutdown timeout", steps)


class Triggers(unittest.TestCase):
    def test_the_callers_stop_event_ends_the_agent_on_the_loop(self):
        loop = ManualLoop()
        stop_event = threading.Event()
        calls = []
        remove = install_shutdown_triggers(handle_signals=False, stop_event=stop_event, loop=loop,
                                           shutdown=lambda code, reason: calls.append((code, reason)))
        loop.advance(1.0)
        self.assertEqual(calls, [])
        stop_event.set()
        loop.advance(0.1)
        self.assertEqual(calls, [(0, "stop_event")])
        remove()
        self.assertEqual(loop.delays(), [])

    def test_removed_triggers_look_no_more(self):
        loop = ManualLoop()
        stop_event = threading.Event()
        calls = []
        remove = install_shutdown_triggers(handle_signals=False, stop_event=stop_event, loop=loop,
                                           shutdown=lambda code, reason: calls.append((code, reason)))
        loop.advance(0.5)
        remove()
        stop_event.set()
        loop.advance(1.0)
        self.assertEqual(calls, [])

    def test_handles_signals_only_in_the_main_thread_and_restores_the_previous_handlers(self):
        before = signal.getsignal(signal.SIGTERM)
        remove = install_shutdown_triggers(handle_signals=True, stop_event=None, loop=EventLoop(), shutdown=print)
        self.assertIsNot(signal.getsignal(signal.SIGTERM), before)
        remove()
        self.assertIs(signal.getsignal(signal.SIGTERM), before)
        elsewhere = []
        thread = threading.Thread(target=lambda: elsewhere.append(install_shutdown_triggers(
            handle_signals=True, stop_event=None, loop=EventLoop(), shutdown=print)))
        thread.start()
        thread.join()
        self.assertIs(signal.getsignal(signal.SIGTERM), before)
        elsewhere[0]()  # nothing installed: nothing to remove

    def test_a_signal_asks_the_loop_to_shut_down(self):
        import os
        loop = EventLoop()
        calls = []
        remove = install_shutdown_triggers(handle_signals=True, stop_event=None, loop=loop,
                                           shutdown=lambda code, reason: calls.append((code, reason)))
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            run_loop_until(loop, lambda: calls)
        finally:
            remove()
        self.assertEqual(calls, [(0, "SIGTERM")])


if __name__ == "__main__":
    unittest.main()
