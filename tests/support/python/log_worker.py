"""A run_agent worker that logs what it is told on stdin, for tests/integration/python-live-logs.test.ts.

Env: the agent's configuration, AGENT_NAME. stdin, one command a line: "LOG <text>" (agent.log.info), "WARN <text>"
(agent.log.warn), "PY <text>" (the logging module, captured from the root logger), "PRINT <text>" (print, captured
from stdout), "CRASH <message>" (the work raises). Prints "READY" once the work runs.
"""
import logging
import os
import queue
import sys
import threading

import agent_status_updater as asu

commands = queue.Queue()


def read_stdin():
    for line in sys.stdin:
        commands.put(line.rstrip("\n"))


def work(stop_event, agent):
    print("READY", flush=True)
    while not stop_event.is_set():
        try:
            command = commands.get(timeout=0.1)
        except queue.Empty:
            continue
        verb, _, text = command.partition(" ")
        if verb == "LOG":
            agent.log.info(text, {"source": "agent.log"})
        elif verb == "WARN":
            agent.log.warn(text)
        elif verb == "PY":
            logging.getLogger("app").info(text)
        elif verb == "PRINT":
            print(text, flush=True)
        elif verb == "CRASH":
            raise RuntimeError(text)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    threading.Thread(target=read_stdin, daemon=True).start()
    sys.exit(asu.run_agent(
        os.environ["AGENT_NAME"], work, heartbeat_interval=2, poll_interval=0.5, version="log-worker",
        on_error="exit", log=lambda line: print("LOG " + line, file=sys.stderr, flush=True),
        logs={"capture_root_logger": True, "capture_stdio": True, "echo": False},
    ))
