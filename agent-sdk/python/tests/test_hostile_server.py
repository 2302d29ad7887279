"""A malicious or broken server: the module reads no more of an answer than a report needs, and logs none
of the server's control characters (a terminal would act on them)."""
import logging
import re
import threading
import time
import tracemalloc
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import agent_status_updater as asu
from agent_status_updater.client import AgentClient
from agent_status_updater.config import Config
from agent_status_updater.constants import MAX_ANSWER_BYTES
from agent_status_updater.run_agent import run_agent

from . import keys_for_tests as keys

EVIL = "x\x1b]0;pwned\x07\x9b2J\x1b[2J\x1b[31m\x7fy\r\nforged log line"
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
HUGE = 64 * 1024 * 1024
CHUNK = b"[" + b" " * (1024 * 1024 - 1)  # made once, before memory is measured


class HostileServer:
    """Answers every POST with ``answer(handler)``, which writes the whole response itself."""

    def __init__(self, answer):
        self.sent = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    answer(self, server)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what this server hopes will not happen

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def endless(status, content_length=True):
    """An answer of HUGE bytes of JSON-looking text, sent as fast as the client reads it."""

    def answer(handler, server):
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        if content_length:
            handler.send_header("Content-Length", str(HUGE))
        handler.end_headers()
        while server.sent < HUGE:
            handler.wfile.write(CHUNK)
            server.sent += len(CHUNK)

    return answer


def error_answer(handler, _server):
    body = ('{"code":"PT401","message":"%s"}' % EVIL.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
            .replace("\x9b", "\\u009b").replace("\x7f", "\\u007f").replace("\r", "\\r").replace("\n", "\\n")).encode()
    handler.send_response(401)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class Answers(unittest.TestCase):
    def measure(self, answer):
        server = HostileServer(answer)
        self.addCleanup(server.close)
        client = AgentClient(Config(server.url, keys.PUBLISHABLE, "token"), timeout=5)
        tracemalloc.start()
        started = time.monotonic()
        try:
            result = client.report("heartbeat")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return result, peak, time.monotonic() - started, server

    def test_a_huge_answer_is_refused_after_a_bounded_read(self):
        for status in (200, 500):
            for content_length in (True, False):
                with self.subTest(status=status, content_length=content_length):
                    result, peak, seconds, server = self.measure(endless(status, content_length))
                    self.assertFalse(result.ok)
                    self.assertEqual(result.error.code, "BAD_RESPONSE" if status == 200 else "HTTP_500")
                    self.assertLess(peak, 4 * MAX_ANSWER_BYTES + 1024 * 1024, "memory stays bounded")
                    self.assertLess(server.sent, HUGE, "the client stopped reading")
                    self.assertLess(seconds, 5)

    def test_the_servers_message_is_inert_in_the_result_and_the_log(self):
        server = HostileServer(error_answer)
        self.addCleanup(server.close)
        result = AgentClient(Config(server.url, keys.PUBLISHABLE, "token"), timeout=5).report("heartbeat")
        self.assertEqual(result.error.code, "PT401")
        self.assertNotRegex(result.error.message, CONTROL)
        self.assertIn("x\\x1b]0;pwned\\x07\\x9b2J", result.error.message)

        asu.configure(Config(server.url, keys.PUBLISHABLE, "token"))
        self.addCleanup(asu.configure)
        with self.assertLogs("agent_status_updater", level="WARNING") as logged:
            self.assertFalse(asu.send_heartbeat("Test Agent"))
        self.assertTrue(logged.output)
        for line in logged.output:
            self.assertNotRegex(line, CONTROL)

    def test_run_agent_logs_no_control_character_of_the_server(self):
        server = HostileServer(error_answer)
        self.addCleanup(server.close)
        lines = []
        stop = threading.Event()
        client = AgentClient(Config(server.url, keys.PUBLISHABLE, "token"), timeout=5)
        thread = threading.Thread(target=run_agent, args=("Test Agent", lambda stop_event, agent: stop_event.wait()),
                                  kwargs=dict(client=client, poll_interval=0.05, log=lines.append, stop_event=stop,
                                              handle_signals=False), daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not any("pwned" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.02)
        stop.set()
        thread.join(10)
        self.assertTrue(any("pwned" in line for line in lines), lines)
        for line in lines:
            self.assertNotRegex(line, CONTROL)


if __name__ == "__main__":
    unittest.main()
