#!/usr/bin/env python3
"""Example Agent, in Python: the original system's example_agent_with_status.py.

It updates its status in the database, randomly generates warnings and errors (and now and then a crash,
which run_agent reports and restarts with backoff), sends heartbeats, obeys start / stop / restart from the
dashboard, and handles SIGINT / SIGTERM gracefully (the row ends 'stopped').

    python3 agents/example_agent_with_status.py

Configuration: the environment, over the first of ./.env, ./.env.local and the repository's .env.local
(written by `npm start`). It reports as AGENT_NAME (default "Example Agent", the seeded agent this script
is the example for) with AGENT_TOKEN, else that agent's AGENT_TOKEN_<NAME> from .env.local, else the
trusted key (SUPABASE_KEY / SUPABASE_SECRET_KEY / SUPABASE_SERVICE_ROLE_KEY).
AGENT_SIM_SPEED=10 makes it ten times busier; AGENT_HEARTBEAT_INTERVAL_MS / AGENT_POLL_INTERVAL_MS set its pace.
"""
import random
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
try:
    import agent_status_updater as asu
except ImportError:  # not installed: use the module from this repository
    sys.path.insert(0, str(REPO_ROOT / "agent-sdk" / "python"))
    import agent_status_updater as asu

DEFAULT_NAME = "Example Agent"
VERSION = "0.1.0 (python)"


def token_variable(agent_name):
    """AGENT_TOKEN_<NAME>: the agent name upper-cased, non-alphanumerics as '_' (as `npm start` writes them)."""
    return "AGENT_TOKEN_" + re.sub(r"[^A-Z0-9]", "_", agent_name.upper())


def environment():
    """The real environment over the first env file found."""
    candidates = (Path(".env"), Path(".env.local"), REPO_ROOT / ".env.local")
    env_file = next((path for path in candidates if path.is_file()), None)
    return asu.read_env(env_file=str(env_file) if env_file else None)


def interval(env, name, default_seconds):
    raw = env.get(name)
    if not raw:
        return default_seconds
    if not raw.isdigit() or int(raw) < 100:
        raise asu.ConfigurationError('%s must be a whole number of milliseconds >= 100, got "%s"' % (name, raw))
    return int(raw) / 1000


def sim_speed(env):
    """AGENT_SIM_SPEED=10 makes the simulation ten times busier."""
    try:
        speed = float(env.get("AGENT_SIM_SPEED") or 1)
    except ValueError:
        return 1.0
    return speed if speed > 0 else 1.0


def example_work(speed=1.0, rng=random):
    def work(stop_event, agent):
        troubled = False
        while not stop_event.wait(rng.uniform(3, 8) / speed):  # 3-8 s between steps; True once told to stop
            roll = rng.random()
            if roll < 0.03:
                raise RuntimeError("simulated crash: lost connection to the job queue")
            if roll < 0.13:
                agent.report_error("simulated error: upstream API answered 500", health=rng.randint(10, 39))
            elif roll < 0.28:
                agent.report_warning("simulated warning: queue depth above 100", health=rng.randint(40, 79))
            else:
                if troubled:
                    agent.report_recovered()
                agent.report_activity("processed %d jobs" % rng.randint(1, 50))
            troubled = roll < 0.28

    return work


def main():
    env = environment()
    name = env.get("AGENT_NAME") or DEFAULT_NAME
    token = env.get("AGENT_TOKEN") or env.get(token_variable(name))
    if token:
        env["AGENT_TOKEN"] = token
    config = asu.config_from_env(env)
    print("%s: reporting to %s %s" % (name, config.url, "with its own token" if config.token else "in trusted mode"),
          flush=True)
    return asu.run_agent(
        name,
        example_work(sim_speed(env)),
        config=config,
        version=VERSION,
        heartbeat_interval=interval(env, "AGENT_HEARTBEAT_INTERVAL_MS", asu.DEFAULT_HEARTBEAT_INTERVAL_SECONDS),
        poll_interval=interval(env, "AGENT_POLL_INTERVAL_MS", asu.DEFAULT_POLL_INTERVAL_SECONDS),
        log=lambda line: print(line, flush=True),
    )


if __name__ == "__main__":
    sys.exit(main())
