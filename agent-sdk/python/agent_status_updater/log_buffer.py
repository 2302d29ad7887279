"""The worker's recent log lines, in memory (the TypeScript SDK's log-buffer.ts): a ring bounded by count and by
bytes, the oldest dropped first. Each line gets a sequence number (per process, from 1), so a viewer can merge a
backlog it receives again with what it has, and see where lines were dropped. Lines enter it redacted
(agent_log.py); nothing here leaves the process. Any thread may use it.
"""
import collections
import json
import threading

DEFAULT_LOG_MAX_LINES = 1000
DEFAULT_LOG_MAX_BYTES = 256 * 1024


def json_bytes(value):
    """Bytes of a value as JSON (what a line weighs in a batch, in the buffer, in an event)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


class LogBuffer:
    def __init__(self, max_lines=DEFAULT_LOG_MAX_LINES, max_bytes=DEFAULT_LOG_MAX_BYTES):
        self._max_lines = max_lines
        self._max_bytes = max_bytes
        self._lines = collections.deque()  # (line dict, bytes)
        self._seq = 0
        self._bytes = 0
        self._lock = threading.Lock()

    def push(self, line):
        """Adds a line ({at, level, text, fields?}), numbered here; drops the oldest beyond the bounds."""
        with self._lock:
            self._seq += 1
            numbered = dict(seq=self._seq, **line)
            size = json_bytes(numbered)
            self._lines.append((numbered, size))
            self._bytes += size
            while len(self._lines) > self._max_lines or (self._bytes > self._max_bytes and len(self._lines) > 1):
                _, dropped = self._lines.popleft()
                self._bytes -= dropped
            return numbered

    def since(self, seq):
        """The lines after ``seq``, oldest first (all of them for 0)."""
        with self._lock:
            out = []
            for line, _ in reversed(self._lines):
                if line["seq"] <= seq:
                    break
                out.append(line)
            out.reverse()
            return out

    def newest(self, max_lines, max_bytes):
        """The newest lines, at most ``max_lines`` and ``max_bytes`` of JSON, oldest first."""
        with self._lock:
            out, total = [], 0
            for line, size in reversed(self._lines):
                if len(out) >= max_lines or total + size > max_bytes:
                    break
                total += size
                out.append(line)
            out.reverse()
            return out

    def last_seq(self):
        with self._lock:
            return self._seq

    def __len__(self):
        with self._lock:
            return len(self._lines)

    def bytes(self):
        with self._lock:
            return self._bytes
