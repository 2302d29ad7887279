"""Exponential backoff with full jitter (AWS architecture blog): spreads a fleet's retries after an outage."""
import random as _random
from collections import namedtuple

#: Delays in seconds: attempt n waits at most min(max, base·2ⁿ).
BackoffPolicy = namedtuple("BackoffPolicy", ["base", "max"])


def backoff_ceiling(attempt, policy):
    """Upper bound for attempt n (0-based): base·2ⁿ, capped."""
    return min(policy.max, policy.base * 2 ** min(attempt, 30))


def full_jitter_delay(attempt, policy, random=_random.random):
    """A uniformly random delay in [0, ceiling): full jitter."""
    return random() * backoff_ceiling(attempt, policy)
