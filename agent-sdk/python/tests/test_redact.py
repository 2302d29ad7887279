"""Redaction runs on every line before it is kept. The default's cases are one table,
agent-sdk/test/redaction-cases.json, which the TypeScript SDK's redact.test.ts runs too."""
import json
import os
import time
import unittest

from agent_status_updater.redact import (
    REDACTED,
    default_redact,
    hide_secrets,
    is_sensitive_key,
    redact_fields,
    redact_text,
)

CASES_FILE = os.path.join(os.path.dirname(__file__), "..", "..", "test", "redaction-cases.json")
with open(CASES_FILE, encoding="utf-8") as file:
    CASES = json.load(file)


class SharedTable(unittest.TestCase):
    def test_keys(self):
        for key, sensitive in CASES["keys"]:
            with self.subTest(key=key):
                self.assertEqual(is_sensitive_key(key), sensitive)

    def test_texts(self):
        for text, redacted in CASES["texts"]:
            with self.subTest(text=text):
                self.assertEqual(redact_text(text), redacted)

    def test_fields(self):
        for fields, redacted in CASES["fields"]:
            with self.subTest(fields=fields):
                self.assertEqual(redact_fields(fields), redacted)


class Redaction(unittest.TestCase):
    def test_the_default_hook_redacts_text_and_fields(self):
        line = {"at": "t", "level": "info", "text": "password=x", "fields": {"secret": "s"}}
        self.assertEqual(default_redact(line),
                         {"at": "t", "level": "info", "text": "password=" + REDACTED, "fields": {"secret": REDACTED}})

    def test_the_workers_own_credentials_are_hidden_wherever_they_appear(self):
        hide = hide_secrets(["ast_0123456789abcdef", None, "short"])
        line = {"at": "t", "level": "info", "text": "my token is ast_0123456789abcdef!",
                "fields": {"a": ["x ast_0123456789abcdef"]}}
        self.assertEqual(hide(line), {"at": "t", "level": "info", "text": "my token is %s!" % REDACTED,
                                      "fields": {"a": ["x " + REDACTED]}})

    def test_linear_time_on_long_runs_of_letters(self):
        started = time.monotonic()
        redact_text("x" * 200000 + "=1 " + "a:" * 50000)
        self.assertLess(time.monotonic() - started, 2.0)
