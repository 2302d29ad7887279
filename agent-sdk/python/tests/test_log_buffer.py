import unittest

from agent_status_updater.log_buffer import LogBuffer, json_bytes


def line(text):
    return {"at": "2026-12-06T10:00:00.000Z", "level": "info", "text": text}


class LogBufferTest(unittest.TestCase):
    def test_numbers_lines_from_1_and_answers_those_after_a_sequence_number(self):
        buffer = LogBuffer()
        for text in "abc":
            buffer.push(line(text))
        self.assertEqual([(l["seq"], l["text"]) for l in buffer.since(0)], [(1, "a"), (2, "b"), (3, "c")])
        self.assertEqual([l["text"] for l in buffer.since(2)], ["c"])
        self.assertEqual(buffer.since(3), [])
        self.assertEqual(buffer.last_seq(), 3)

    def test_keeps_at_most_max_lines_dropping_the_oldest(self):
        buffer = LogBuffer(max_lines=3, max_bytes=10 ** 6)
        for i in range(1, 11):
            buffer.push(line("line %d" % i))
        self.assertEqual(len(buffer), 3)
        self.assertEqual([l["seq"] for l in buffer.since(2)], [8, 9, 10])  # a gap the viewer can see

    def test_keeps_at_most_max_bytes_but_always_the_newest_line(self):
        buffer = LogBuffer(max_lines=1000, max_bytes=1000)
        for _ in range(50):
            buffer.push(line("x" * 100))
        self.assertLessEqual(buffer.bytes(), 1000)
        self.assertGreaterEqual(len(buffer), 5)
        buffer.push(line("y" * 5000))
        self.assertEqual([l["text"][0] for l in buffer.since(0)], ["y"])

    def test_answers_the_newest_lines_within_a_count_and_a_byte_budget(self):
        buffer = LogBuffer()
        for i in range(1, 101):
            buffer.push(line("line %d" % i))
        self.assertEqual([l["text"] for l in buffer.newest(3, 10 ** 6)], ["line 98", "line 99", "line 100"])
        budget = json_bytes(buffer.since(99)[0]) * 2
        self.assertEqual([l["text"] for l in buffer.newest(50, budget)], ["line 99", "line 100"])

    def test_counts_utf8_bytes(self):
        self.assertEqual(json_bytes("é"), 4)  # "é" with its quotes
        self.assertEqual(json_bytes("\U0001F600"), 6)
