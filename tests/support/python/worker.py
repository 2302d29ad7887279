"""A run_agent worker whose work prints each start and end, for tests/integration/python-module.test.ts.

Env: the agent's configuration, AGENT_NAME, POLL_SECONDS, REFUSED_RETRY_SECONDS. Prints "START <generation>" and "END <generation>".
With METRICS set, each start also counts "starts" and sets the gauge "generation" (custom metrics).
"""
import os
import sys

import agent_status_updater as asu


def work(stop_event, agent):
    generation = agent.generation
    if os.environ.get("METRICS"):
        agent.count("starts")
        agent.metric("generation", generation)
    print("START %d" % generation, flush=True)
    stop_event.wait()
    print("END %d" % generation, flush=True)


if __name__ == "__main__":
    sys.exit(asu.run_agent(
        os.environ["AGENT_NAME"], work, heartbeat_interval=2, poll_interval=float(os.environ.get("POLL_SECONDS", "0.25")),
        version="worker-test", log=lambda line: print("LOG " + line, flush=True),
        refused_retry=float(os.environ.get("REFUSED_RETRY_SECONDS", "60")),
    ))
