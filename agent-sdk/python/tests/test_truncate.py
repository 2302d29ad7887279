import unittest

from agent_status_updater.constants import ACTIVITY_MAX_LENGTH, MESSAGE_MAX_LENGTH, TRUNCATION_MARKER, message_max_length
from agent_status_updater.truncate import clean_text, describe_error, truncate_message


class Truncation(unittest.TestCase):
    def test_short_messages_are_kept(self):
        self.assertEqual(truncate_message("short", 14), "short")
        self.assertEqual(truncate_message("a" * 14, 14), "a" * 14)

    def test_long_messages_are_cut_and_marked_to_exactly_the_limit(self):
        cut = truncate_message("a" * 30, 20)
        self.assertEqual(cut, "a" * (20 - len(TRUNCATION_MARKER)) + TRUNCATION_MARKER)
        self.assertEqual(len(cut), 20)

    def test_lengths_count_code_points_as_postgres_does(self):
        cut = truncate_message("\U0001F916" * 30, 20)
        self.assertEqual(cut, "\U0001F916" * 7 + TRUNCATION_MARKER)
        # a combining accent is a code point of its own, as char_length() counts it
        self.assertEqual(truncate_message("e\u0301" * 15, 29), "e\u0301" * 8 + TRUNCATION_MARKER)

    def test_the_limit_of_each_kind(self):
        self.assertEqual(message_max_length("activity"), ACTIVITY_MAX_LENGTH)
        for kind in ("warning", "error", "started"):
            self.assertEqual(message_max_length(kind), MESSAGE_MAX_LENGTH)
        self.assertEqual(len(truncate_message("x" * 5000)), MESSAGE_MAX_LENGTH)


class Cleaning(unittest.TestCase):
    def test_what_postgres_refuses_is_replaced(self):
        self.assertEqual(clean_text("a\x00b"), "a\ufffdb")
        self.assertEqual(clean_text("lone \udc80 surrogate"), "lone ? surrogate")

    def test_any_value_becomes_text(self):
        self.assertEqual(clean_text(ValueError("boom")), "boom")
        self.assertEqual(clean_text(42), "42")

    def test_describe_error(self):
        self.assertEqual(describe_error(ValueError("bad input")), "ValueError: bad input")
        self.assertEqual(describe_error(KeyError()), "KeyError")
        self.assertEqual(describe_error("plain"), "plain")


if __name__ == "__main__":
    unittest.main()
