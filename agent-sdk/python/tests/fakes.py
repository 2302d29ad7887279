"""Test doubles: an in-memory agent_report (the database's decisions, for the worker's unit tests), a local
HTTP server (for what the client puts on the wire) and an event loop on a clock that moves only when the test
says so. The integration tests use the real stack."""
import json
import math
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from agent_status_updater.result import Desired, PublishResult, failed, succeeded


class FakeBackend:
    """Keeps one agent's desired state like agent_desired_state, and answers reports like agent_report.

    ``fail`` (a ReportResult or None) makes every report fail that way while set."""

    def __init__(self, agent_name="Test Agent", desired_state="stopped"):
        self.agent_name = agent_name
        self.desired_state = desired_state
        self.generation = 0
        self.last_command = None
        self.observed_generation = 0
        self.status = "stopped"
        self.reports = []
        self.fail = None
        #: Set to another instance's id: the agent is held by it (a newer worker took it over).
        self.instance_holder = None
        #: Set to a message: every report carrying custom metrics is refused as agent_report refuses bad ones.
        self.refuse_metrics = None
        #: A watch of the agent's live log: until this time.monotonic() value; batches published meanwhile.
        self.watched_until = 0.0
        self.backlog_requests = 0
        self.batches = []
        self.lock = threading.Lock()

    def watch(self, seconds, backlog=True):
        """What watch_agent_logs does (the worker hears of it from its next answer: no push in Python)."""
        with self.lock:
            self.watched_until = max(self.watched_until, time.monotonic() + seconds)
            if backlog:
                self.backlog_requests += 1

    def _watch_seconds(self):
        left = self.watched_until - time.monotonic()
        return int(math.ceil(left)) if left > 0 else None

    def publish_logs(self, batch, agent_name=None):
        with self.lock:
            seconds = self._watch_seconds()
            if seconds is not None and (batch["lines"] or batch.get("backlog_end")):
                self.batches.append(batch)
            return PublishResult(seconds, self.backlog_requests, None)

    def lines(self):
        """Every line published, once per sequence number, in order of arrival."""
        with self.lock:
            seen, out = set(), []
            for batch in self.batches:
                for line in batch["lines"]:
                    if line["seq"] not in seen:
                        seen.add(line["seq"])
                        out.append(line)
            return out

    def command(self, command):
        """What the agents Edge Function does: a new generation per start, stop or restart."""
        with self.lock:
            self.desired_state = "stopped" if command == "stop" else "running"
            self.generation += 1
            self.last_command = command
            return self.generation

    def report(self, kind, agent_name=None, message=None, health=None, observed_generation=None, info=None):
        with self.lock:
            self.reports.append({"kind": kind, "agent_name": agent_name, "message": message, "health": health,
                                 "observed_generation": observed_generation, "info": info})
            if self.fail is not None:
                return self.fail
            if self.refuse_metrics and (info or {}).get("metrics"):
                return failed("PT422", self.refuse_metrics, 422, False)
            statuses = {"started": "running", "recovered": "running", "warning": "warning", "error": "error",
                        "stopped": "stopped"}
            self.status = statuses.get(kind, self.status)
            # A worker's heartbeat or activity restates what it is doing: a status changed behind its back heals.
            if kind in ("heartbeat", "activity") and (info or {}).get("state") in statuses.values():
                self.status = info["state"]
            self.observed_generation = max(self.observed_generation, min(observed_generation or 0, self.generation))
            holder = self.instance_holder or (info or {}).get("instance_id")
            return succeeded(Desired("agent-1", self.agent_name, self.desired_state, self.generation,
                                     self.last_command, self.observed_generation, holder, self._watch_seconds(),
                                     self.backlog_requests))

    def kinds(self):
        with self.lock:
            return [r["kind"] for r in self.reports]

    def metrics(self):
        """p_info.metrics of every report (None where none rode along)."""
        with self.lock:
            return [(r["info"] or {}).get("metrics") for r in self.reports]


NETWORK_DOWN = failed("NETWORK", "connection refused")


class RecordingServer:
    """A local HTTP server that records each request and answers with ``respond(request) -> (status, body)``."""

    def __init__(self, respond):
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": json.loads(self.rfile.read(length) or b"null")}
                server.requests.append(request)
                status, body = respond(request)
                data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def answer_row(generation=3, desired_state="running", last_command="start", observed_generation=2):
    return [{"agent_id": "7b0c", "agent_name": "Test Agent", "desired_state": desired_state,
             "generation": generation, "last_command": last_command, "observed_generation": observed_generation}]


class ManualLoop:
    """An event loop (event_loop.EventLoop's methods) whose clock moves only when the test calls advance();
    calls posted from other threads wait for run_posted()."""

    def __init__(self):
        self.now = 0.0
        self._timers = {}
        self._next_id = 0
        self._posted = queue.SimpleQueue()

    def set_timeout(self, callback, seconds, *args):
        self._next_id += 1
        self._timers[self._next_id] = (self.now + seconds, callback, args)
        return self._next_id

    def clear_timeout(self, handle):
        self._timers.pop(handle, None)

    def post(self, callback, *args):
        self._posted.put((callback, args))

    def advance(self, seconds):
        """Moves the clock on, firing each timer that falls due on the way, in order."""
        until = self.now + seconds
        while True:
            due = sorted((at, handle) for handle, (at, _, _) in self._timers.items() if at <= until)
            if not due:
                break
            at, handle = due[0]
            _, callback, args = self._timers.pop(handle)
            self.now = at
            callback(*args)
        self.now = until

    def delays(self):
        """How long from now each pending timer has to go, soonest first."""
        return sorted(at - self.now for at, _, _ in self._timers.values())

    def run_posted(self, timeout=30.0):
        """Waits for a posted call (another thread's), then makes it and any others waiting; queue.Empty when
        none comes within ``timeout`` seconds."""
        callback, args = self._posted.get(timeout=timeout)
        callback(*args)
        while True:
            try:
                callback, args = self._posted.get_nowait()
            except queue.Empty:
                return
            callback(*args)


def run_loop_until(loop, done, timeout=30.0):
    """loop.run_until(done), failing the test instead of hanging when it is not done within ``timeout`` seconds."""

    def give_up():
        raise AssertionError("the loop was not done within %g s" % timeout)

    guard = loop.set_timeout(give_up, timeout)
    try:
        loop.run_until(done)
    finally:
        loop.clear_timeout(guard)
