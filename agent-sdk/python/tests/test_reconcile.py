"""The reconcile decision's cases are one table, agent-sdk/test/reconcile-cases.json, which the TypeScript SDK's
tests run too (agent-sdk/test/unit/reconcile.test.ts): both SDKs decide alike, case by case."""
import json
import os
import unittest

from agent_status_updater.reconcile import ACTIONS, generation_after_backoff, is_newer, reconcile
from agent_status_updater.result import Desired

CASES = os.path.join(os.path.dirname(__file__), "..", "..", "test", "reconcile-cases.json")


def load_cases():
    with open(CASES, encoding="utf-8") as handle:
        return json.load(handle)


def desired(answer):
    """The table's desired state (the TypeScript SDK's field names) as the Desired an answer is read into."""
    if answer is None:
        return None
    return Desired("agent-id", "Agent", answer["desiredState"], answer["generation"], answer.get("lastCommand"), 0)


class Reconcile(unittest.TestCase):
    def test_every_case_of_the_shared_table(self):
        for case in load_cases()["reconcile"]:
            with self.subTest(case["what"]):
                action = reconcile(
                    desired(case["desired"]), running=case.get("running"), carried_out=case.get("carriedOut"),
                    finished=case.get("finished"), restart_pending=case.get("restartPending"),
                )
                self.assertEqual(action, case["expected"])

    def test_the_shared_table_has_a_case_for_every_action(self):
        self.assertEqual({case["expected"] for case in load_cases()["reconcile"]}, set(ACTIONS))


class GenerationAfterBackoff(unittest.TestCase):
    def test_every_case_of_the_shared_table(self):
        for case in load_cases()["generationAfterBackoff"]:
            with self.subTest(case["what"]):
                generation = generation_after_backoff(desired(case["desired"]), case["crashedGeneration"])
                self.assertEqual(generation, case["expected"])


class Ordering(unittest.TestCase):
    def test_an_older_generation_never_undoes_a_newer_one(self):
        answer = lambda state, generation: Desired("id", "Agent", state, generation, None, 0)  # noqa: E731
        self.assertTrue(is_newer(answer("running", 3), None))
        self.assertTrue(is_newer(answer("running", 3), answer("running", 3)))
        self.assertFalse(is_newer(answer("running", 2), answer("stopped", 3)))


if __name__ == "__main__":
    unittest.main()
