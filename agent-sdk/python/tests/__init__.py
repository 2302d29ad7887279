"""Unit tests of agent_status_updater: python3 -m unittest discover -s agent-sdk/python/tests -t agent-sdk/python"""
