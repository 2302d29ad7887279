import socket
import threading
import time
import unittest

from agent_status_updater.client import RPC_PATH, AgentClient
from agent_status_updater.config import Config

from . import keys_for_tests as keys
from .fakes import RecordingServer, answer_row


class OnTheWire(unittest.TestCase):
    def setUp(self):
        self.answer = (200, answer_row())
        self.server = RecordingServer(lambda request: self.answer)

    def tearDown(self):
        self.server.close()

    def client(self, key, token=None):
        return AgentClient(Config(self.server.url, key, token), timeout=2)

    def test_one_post_to_the_agent_report_rpc_answered_with_the_desired_state(self):
        result = self.client(keys.LEGACY_SERVICE).report("heartbeat", agent_name="Test Agent", observed_generation=2)
        self.assertTrue(result.ok)
        self.assertEqual(result.desired.generation, 3)
        self.assertEqual(result.desired.desired_state, "running")
        [request] = self.server.requests
        self.assertEqual(request["path"], RPC_PATH)
        self.assertEqual(request["body"], {"p_kind": "heartbeat", "p_agent_name": "Test Agent", "p_observed_generation": 2})

    def test_a_legacy_jwt_key_goes_in_apikey_and_authorization(self):
        self.client(keys.LEGACY_SERVICE).report("started", agent_name="A")
        headers = self.server.requests[0]["headers"]
        self.assertEqual(headers["apikey"], keys.LEGACY_SERVICE)
        self.assertEqual(headers["authorization"], "Bearer " + keys.LEGACY_SERVICE)

    def test_an_opaque_secret_key_goes_in_apikey_only(self):
        self.client(keys.SECRET).report("started", agent_name="A")
        headers = self.server.requests[0]["headers"]
        self.assertEqual(headers["apikey"], keys.SECRET)
        self.assertNotIn("authorization", headers)

    def test_the_agent_token_travels_only_as_p_token(self):
        for key in (keys.PUBLISHABLE, keys.LEGACY_ANON):
            self.client(key, token="ast_secret_token").report("heartbeat", info={"host": "h", "pid": 1})
        for request in self.server.requests:
            self.assertEqual(request["body"]["p_token"], "ast_secret_token")
            self.assertNotIn("ast_secret_token", " ".join(request["headers"].values()))
        self.assertEqual(self.server.requests[1]["headers"]["authorization"], "Bearer " + keys.LEGACY_ANON)

    def test_what_is_none_is_left_for_the_database_default(self):
        self.client(keys.SECRET).report("warning", agent_name="A", message="m", health=None)
        self.assertEqual(self.server.requests[0]["body"], {"p_kind": "warning", "p_agent_name": "A", "p_message": "m"})

    def test_postgrest_errors_are_classified(self):
        cases = [
            ((403, {"code": "PT403", "message": "this token belongs to agent \"B\""}), ("PT403", 403, False)),
            ((401, {"code": "PT401", "message": "invalid or revoked agent token"}), ("PT401", 401, False)),
            ((400, {"code": "22023", "message": "health must be between 0 and 100"}), ("22023", 400, False)),
            ((503, b"<html>bad gateway</html>"), ("HTTP_503", 503, True)),
            ((429, {"message": "slow down"}), ("HTTP_429", 429, True)),
            ((200, []), ("EMPTY", 200, True)),
        ]
        for answer, (code, status, retryable) in cases:
            self.answer = answer
            error = self.client(keys.SECRET).report("heartbeat", agent_name="A").error
            self.assertEqual((error.code, error.status, error.retryable), (code, status, retryable), answer)


class BackendDown(unittest.TestCase):
    def test_a_closed_port_fails_at_once_as_network(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        started = time.monotonic()
        result = AgentClient(Config("http://127.0.0.1:%d" % port, keys.SECRET, None), timeout=2).report("heartbeat", agent_name="A")
        self.assertEqual((result.error.code, result.error.retryable), ("NETWORK", True))
        self.assertLess(time.monotonic() - started, 1)

    def test_a_backend_that_never_answers_times_out_within_the_timeout(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        accepted = []
        threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
        try:
            started = time.monotonic()
            url = "http://127.0.0.1:%d" % listener.getsockname()[1]
            result = AgentClient(Config(url, keys.SECRET, None), timeout=0.5).report("heartbeat", agent_name="A")
            elapsed = time.monotonic() - started
        finally:
            listener.close()
            for connection, _ in accepted:
                connection.close()
        self.assertEqual((result.error.code, result.error.retryable), ("TIMEOUT", True))
        self.assertGreaterEqual(elapsed, 0.45)
        self.assertLess(elapsed, 1.5)


if __name__ == "__main__":
    unittest.main()
