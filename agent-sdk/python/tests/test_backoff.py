import unittest

from agent_status_updater.backoff import BackoffPolicy, backoff_ceiling, full_jitter_delay

POLICY = BackoffPolicy(base=0.5, max=30.0)


class Backoff(unittest.TestCase):
    def test_the_ceiling_doubles_per_attempt_up_to_the_cap(self):
        self.assertEqual([backoff_ceiling(n, POLICY) for n in range(8)], [0.5, 1, 2, 4, 8, 16, 30, 30])
        self.assertEqual(backoff_ceiling(10_000, POLICY), 30)  # no overflow for a long outage

    def test_full_jitter_is_uniform_between_zero_and_the_ceiling(self):
        self.assertEqual(full_jitter_delay(3, POLICY, random=lambda: 0.0), 0.0)
        self.assertAlmostEqual(full_jitter_delay(3, POLICY, random=lambda: 0.5), 2.0)
        self.assertLess(full_jitter_delay(3, POLICY, random=lambda: 0.999999), 4.0)
        delays = [full_jitter_delay(5, POLICY) for _ in range(2000)]
        self.assertTrue(all(0 <= d < 16 for d in delays))
        self.assertLess(min(delays), 1.0)  # spread over the whole range, not clustered at the ceiling
        self.assertGreater(max(delays), 15.0)


if __name__ == "__main__":
    unittest.main()
