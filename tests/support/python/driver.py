"""Calls agent_status_updater's functions on request, for tests/integration/python-module.test.ts.

One JSON request per line on stdin: {"call": "report_warning", "args": [...], "kwargs": {...}}; one JSON
answer per line on stdout: {"result": ..., "ms": ...}, or {"raised": "ConfigurationError: ...", "ms": ...}.
Configured like any agent: from its environment (the test sets it) and a .env in its working directory.
"""
import json
import sys
import time

import agent_status_updater as asu


def main():
    for line in iter(sys.stdin.readline, ""):
        request = json.loads(line)
        started = time.monotonic()
        try:
            answer = {"result": getattr(asu, request["call"])(*request.get("args", []), **request.get("kwargs", {}))}
        except Exception as error:  # the test asserts that nothing but a configuration error is raised
            answer = {"raised": "%s: %s" % (type(error).__name__, error)}
        answer["ms"] = round((time.monotonic() - started) * 1000)
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
