import io
import logging
import sys
import unittest

from agent_status_updater.agent_log import AgentLogger, quietly
from agent_status_updater.console_capture import install_capture
from agent_status_updater.log_buffer import LogBuffer


class CaptureTest(unittest.TestCase):
    def setUp(self):
        self.buffer = LogBuffer()
        self.logger = AgentLogger(self.buffer)

    def texts(self):
        return [(l["level"], l["text"]) for l in self.buffer.since(0)]

    def test_the_root_logger_becomes_lines_and_the_handler_goes_away_on_uninstall(self):
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.INFO)
        self.addCleanup(root.setLevel, level)
        uninstall = install_capture(self.logger.handler(), root_logger=True)
        logging.getLogger("app.db").info("connected")
        logging.warning("low disk")
        uninstall()
        logging.getLogger("app.db").info("after")
        self.assertEqual(self.texts(), [("info", "connected"), ("warn", "low disk")])
        self.assertNotIn(self.logger.handler(), root.handlers)

    def test_named_loggers_only(self):
        uninstall = install_capture(self.logger.handler(), loggers=("app",))
        self.addCleanup(uninstall)
        app = logging.getLogger("app")
        app.setLevel(logging.INFO)
        app.info("mine")
        logging.getLogger("other").error("not mine")
        self.assertEqual(self.texts(), [("info", "mine")])

    def test_stdio_every_line_to_stdout_info_and_stderr_warn_still_written_across_chunks(self):
        out, err = io.StringIO(), io.StringIO()
        real = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            uninstall = install_capture(self.logger.handler(), stdio=True, capture=self.logger.capture)
            print("part one, ", end="")
            print("part two")
            sys.stderr.write("from stderr\r\n")
            with quietly():
                print("the SDK's own line", file=sys.stderr)
            uninstall()
            print("after")
            self.assertIs(sys.stdout, out)
        finally:
            sys.stdout, sys.stderr = real
        self.assertEqual(self.texts(), [("info", "part one, part two"), ("warn", "from stderr")])
        self.assertEqual(out.getvalue(), "part one, part two\nafter\n")
        self.assertIn("from stderr", err.getvalue())

    def test_a_failing_capture_never_breaks_printing(self):
        out = io.StringIO()
        real = sys.stdout
        sys.stdout = out
        try:
            def broken(*_args):
                raise RuntimeError("capture bug")

            uninstall = install_capture(self.logger.handler(), stdio=True, capture=broken)
            print("still printed")
            uninstall()
        finally:
            sys.stdout = real
        self.assertEqual(out.getvalue(), "still printed\n")
