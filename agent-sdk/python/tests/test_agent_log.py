import io
import logging
import unittest
from unittest import mock

from agent_status_updater.agent_log import FIELDS_MAX_BYTES, AgentLogger, line_fields, line_text
from agent_status_updater.constants import LOG_LINE_MAX_LENGTH
from agent_status_updater.log_buffer import LogBuffer
from agent_status_updater.redact import REDACTED


def make(**options):
    buffer = LogBuffer()
    echoed = []
    logger = AgentLogger(buffer, echo=lambda *args: echoed.append(args), **options)
    return logger, buffer, echoed


class AgentLogTest(unittest.TestCase):
    def test_keeps_info_warn_and_error_lines_and_agent_log_line_is_info(self):
        logger, buffer, _ = make()
        log = logger.log
        log("plain")
        log.info("fetched", {"feed": "a", "count": 3})
        log.warn("slow")
        log.error("failed", {"attempt": 2})
        self.assertEqual([(l["level"], l["text"], l.get("fields")) for l in buffer.since(0)], [
            ("info", "plain", None), ("info", "fetched", {"feed": "a", "count": 3}), ("warn", "slow", None),
            ("error", "failed", {"attempt": 2}),
        ])
        self.assertRegex(buffer.since(0)[0]["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

    def test_redacts_before_a_line_is_kept_and_echoes_what_the_agent_wrote(self):
        logger, buffer, echoed = make()
        logger.log.info("connecting with password=hunter2", {"apiKey": "k-123", "host": "db"})
        self.assertEqual(buffer.since(0)[0]["text"], "connecting with password=" + REDACTED)
        self.assertEqual(buffer.since(0)[0]["fields"], {"apiKey": REDACTED, "host": "db"})
        self.assertEqual(echoed, [("info", "connecting with password=hunter2", {"apiKey": "k-123", "host": "db"})])

    def test_a_custom_hook_can_drop_lines_and_the_workers_secrets_are_hidden_whatever_it_returns(self):
        logger, buffer, _ = make(
            redact=lambda line: None if "drop me" in line["text"] else dict(line, text=line["text"].upper()),
            secrets=["AST_SECRET_TOKEN_1"],
        )
        logger.log("drop me please")
        logger.log("my token ast_secret_token_1")
        self.assertEqual([l["text"] for l in buffer.since(0)], ["MY TOKEN " + REDACTED])

    def test_never_raises_a_raising_hook_drops_its_lines_and_is_said_once(self):
        warnings = []

        def broken(_line):
            raise RuntimeError("hook bug")

        logger, buffer, _ = make(redact=broken, warn=warnings.append)
        logger.log.info("a")
        logger.log.info("b")
        self.assertEqual(len(buffer), 0)
        self.assertEqual(len(warnings), 1)

        ok, buffer, _ = make()
        circular = {"name": "loop"}
        circular["self"] = circular

        class Odd:
            def __str__(self):
                raise ValueError("no str")

            def __repr__(self):
                raise ValueError("no repr")

        ok.log.info(circular, circular)
        ok.log.info(Odd(), {"odd": Odd()})
        ok.log.info("bytes", {"big": 10 ** 30, "nan": float("nan"), "set": {1}, "err": TypeError("bad")})
        self.assertEqual(buffer.since(0)[0]["fields"], {"name": "loop", "self": "[...]"})
        self.assertEqual(buffer.since(0)[-1]["fields"], {"big": str(10 ** 30), "nan": "nan", "set": [1], "err": "TypeError: bad"})

    def test_bounds_a_line_text_to_2000_characters_and_fields_to_2_kib(self):
        logger, buffer, _ = make()
        logger.log.info("x" * 5000, {"k%d" % i: "v" * 100 for i in range(100)})
        line = buffer.since(0)[0]
        self.assertEqual(len(line["text"]), LOG_LINE_MAX_LENGTH)
        self.assertTrue(line["text"].endswith(" \u2026[truncated]"))
        self.assertLessEqual(len(str(line["fields"])), FIELDS_MAX_BYTES + 200)
        self.assertRegex(line["fields"]["\u2026"], r"more field\(s\) left out")

    def test_an_exception_is_logged_with_its_traceback(self):
        try:
            raise ValueError("boom")
        except ValueError as error:
            self.assertRegex(line_text(error), r"Traceback \(most recent call last\):[\s\S]*ValueError: boom")
        self.assertEqual(line_text(ValueError("never raised")), "ValueError: never raised")
        self.assertEqual(line_fields("text"), {"value": "text"})
        self.assertIsNone(line_fields(None))


class LogHandlerTest(unittest.TestCase):
    def setUp(self):
        self.logger, self.buffer, self.echoed = make()
        self.python_logger = logging.getLogger("test-agent-log-handler")
        self.python_logger.setLevel(logging.DEBUG)
        self.python_logger.propagate = False
        self.python_logger.addHandler(self.logger.log.handler)
        self.addCleanup(self.python_logger.removeHandler, self.logger.log.handler)

    def test_records_become_lines_at_their_level_with_extras_and_the_logger_name_as_fields(self):
        self.python_logger.debug("debug %s", "detail")
        self.python_logger.info("fetched", extra={"feed": "a", "password": "x"})
        self.python_logger.warning("slow")
        self.python_logger.critical("down")
        lines = self.buffer.since(0)
        self.assertEqual([(l["level"], l["text"]) for l in lines],
                         [("info", "debug detail"), ("info", "fetched"), ("warn", "slow"), ("error", "down")])
        self.assertEqual(lines[1]["fields"], {"feed": "a", "password": REDACTED, "logger": "test-agent-log-handler"})
        self.assertEqual(self.echoed, [])  # printed by logging's own handlers, if any: not again

    def test_exc_info_puts_the_traceback_in_the_text(self):
        try:
            raise KeyError("missing")
        except KeyError:
            self.python_logger.exception("lookup failed")
        self.assertRegex(self.buffer.since(0)[0]["text"], r"^lookup failed\nTraceback[\s\S]*KeyError: 'missing'")
        self.assertEqual(self.buffer.since(0)[0]["level"], "error")

    def test_the_sdks_own_records_are_left_out(self):
        logging.getLogger("agent_status_updater").addHandler(self.logger.log.handler)
        self.addCleanup(logging.getLogger("agent_status_updater").removeHandler, self.logger.log.handler)
        with mock.patch("sys.stderr", io.StringIO()):
            logging.getLogger("agent_status_updater").warning("report failed")
        self.assertEqual(len(self.buffer), 0)
