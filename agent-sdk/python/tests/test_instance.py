"""A worker run's instance: what its reports carry, and when an answer tells it to stand down."""
import unittest

from agent_status_updater.instance import Instance
from agent_status_updater.result import Desired


def answer(instance_id=None):
    return Desired("a", "A", "running", 1, None, 1, instance_id)


class WorkerInstances(unittest.TestCase):
    def test_a_new_run_has_an_id_of_its_own_and_says_it_is_new_until_its_first_answer(self):
        instance = Instance()
        self.assertRegex(instance.id, r"^[0-9a-f-]{36}$")
        self.assertNotEqual(Instance().id, instance.id)
        info = instance.tag({"host": "h"})
        self.assertEqual(info, {"host": "h", "instance_id": instance.id, "instance_new": True})
        self.assertFalse(instance.displaced_by(answer(instance.id)))
        self.assertEqual(info, {"host": "h", "instance_id": instance.id})

    def test_stands_down_only_when_the_answer_names_another_holder(self):
        instance = Instance("mine")
        instance.tag({})
        self.assertFalse(instance.displaced_by(answer("mine")))
        self.assertFalse(instance.displaced_by(answer(None)))  # released, nobody sent an id, or an older backend
        self.assertTrue(instance.displaced_by(answer("newer")))

    def test_its_final_report_on_a_clean_exit_lets_go_of_the_agent(self):
        instance = Instance("mine")
        info = instance.tag({})
        instance.exiting()
        self.assertTrue(info["instance_exiting"])


if __name__ == "__main__":
    unittest.main()
