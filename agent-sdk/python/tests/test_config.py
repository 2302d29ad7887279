import os
import tempfile
import unittest

from agent_status_updater.config import ConfigurationError, config_from_env, load_config, read_env

from .keys_for_tests import LEGACY_ANON, LEGACY_SERVICE, PUBLISHABLE, SECRET

URL = "http://127.0.0.1:54321"


class TokenMode(unittest.TestCase):
    def test_the_token_with_the_publishable_key(self):
        config = config_from_env({"SUPABASE_URL": URL + "/", "AGENT_TOKEN": "ast_1", "SUPABASE_PUBLISHABLE_KEY": PUBLISHABLE})
        self.assertEqual(config, (URL, PUBLISHABLE, "ast_1"))

    def test_the_legacy_anon_key_in_place_of_the_publishable_key(self):
        config = config_from_env({"SUPABASE_URL": URL, "AGENT_TOKEN": "ast_1", "SUPABASE_ANON_KEY": LEGACY_ANON})
        self.assertEqual(config.api_key, LEGACY_ANON)

    def test_the_current_name_wins_over_the_legacy_one(self):
        env = {"SUPABASE_URL": URL, "AGENT_TOKEN": "t", "SUPABASE_ANON_KEY": LEGACY_ANON, "SUPABASE_PUBLISHABLE_KEY": PUBLISHABLE}
        self.assertEqual(config_from_env(env).api_key, PUBLISHABLE)

    def test_an_original_env_whose_supabase_key_is_the_anon_key_works_once_a_token_is_added(self):
        config = config_from_env({"SUPABASE_URL": URL, "SUPABASE_KEY": LEGACY_ANON, "AGENT_TOKEN": "t"})
        self.assertEqual(config, (URL, LEGACY_ANON, "t"))

    def test_the_token_wins_over_a_secret_key_least_privilege(self):
        env = {"SUPABASE_URL": URL, "AGENT_TOKEN": "t", "SUPABASE_ANON_KEY": LEGACY_ANON, "SUPABASE_SERVICE_ROLE_KEY": LEGACY_SERVICE}
        self.assertEqual(config_from_env(env), (URL, LEGACY_ANON, "t"))


class TrustedMode(unittest.TestCase):
    def test_the_original_supabase_key(self):
        self.assertEqual(config_from_env({"SUPABASE_URL": URL, "SUPABASE_KEY": LEGACY_SERVICE}), (URL, LEGACY_SERVICE, None))

    def test_the_secret_key_and_the_legacy_service_role_key(self):
        self.assertEqual(config_from_env({"SUPABASE_URL": URL, "SUPABASE_SECRET_KEY": SECRET}).api_key, SECRET)
        self.assertEqual(config_from_env({"SUPABASE_URL": URL, "SUPABASE_SERVICE_ROLE_KEY": LEGACY_SERVICE}).api_key, LEGACY_SERVICE)

    def test_order_of_preference(self):
        env = {"SUPABASE_URL": URL, "SUPABASE_SERVICE_ROLE_KEY": LEGACY_SERVICE, "SUPABASE_SECRET_KEY": SECRET}
        self.assertEqual(config_from_env(env).api_key, SECRET)
        self.assertEqual(config_from_env(dict(env, SUPABASE_KEY="sb_secret_mine")).api_key, "sb_secret_mine")

    def test_a_key_of_unknown_kind_in_supabase_key_is_taken_as_given(self):
        self.assertEqual(config_from_env({"SUPABASE_URL": URL, "SUPABASE_KEY": "something"}).api_key, "something")


class Refused(unittest.TestCase):
    def assertRefused(self, env, *phrases):
        with self.assertRaises(ConfigurationError) as caught:
            config_from_env(env)
        for phrase in phrases:
            self.assertIn(phrase, str(caught.exception))

    def test_no_url(self):
        self.assertRefused({"SUPABASE_KEY": SECRET}, "SUPABASE_URL is not set")

    def test_a_url_that_is_not_http(self):
        for url in ("ftp://h", "not a url", "http://", "http://h:port"):
            self.assertRefused({"SUPABASE_URL": url, "SUPABASE_KEY": SECRET}, "SUPABASE_URL must be an http")

    def test_no_credentials(self):
        self.assertRefused({"SUPABASE_URL": URL}, "no credentials", "AGENT_TOKEN", "SUPABASE_KEY")
        self.assertRefused({"SUPABASE_URL": URL, "SUPABASE_KEY": "   "}, "no credentials")

    def test_a_token_without_a_publishable_key(self):
        self.assertRefused({"SUPABASE_URL": URL, "AGENT_TOKEN": "t"}, "SUPABASE_PUBLISHABLE_KEY")
        self.assertRefused({"SUPABASE_URL": URL, "AGENT_TOKEN": "t", "SUPABASE_KEY": SECRET}, "SUPABASE_PUBLISHABLE_KEY")

    def test_a_publishable_key_alone_cannot_report(self):
        self.assertRefused({"SUPABASE_URL": URL, "SUPABASE_KEY": PUBLISHABLE}, "SUPABASE_KEY is the project's publishable", "AGENT_TOKEN")
        self.assertRefused({"SUPABASE_URL": URL, "SUPABASE_ANON_KEY": LEGACY_ANON}, "SUPABASE_ANON_KEY is the project's publishable")

    def test_a_secret_key_where_the_publishable_key_belongs(self):
        env = {"SUPABASE_URL": URL, "AGENT_TOKEN": "t", "SUPABASE_PUBLISHABLE_KEY": SECRET}
        self.assertRefused(env, "SUPABASE_PUBLISHABLE_KEY holds a secret")
        self.assertRefused(dict(env, SUPABASE_PUBLISHABLE_KEY=None, SUPABASE_ANON_KEY=LEGACY_SERVICE), "SUPABASE_ANON_KEY holds a secret")

    def test_a_publishable_key_where_the_secret_key_belongs(self):
        self.assertRefused({"SUPABASE_URL": URL, "SUPABASE_SECRET_KEY": PUBLISHABLE}, "SUPABASE_SECRET_KEY holds the publishable")
        self.assertRefused({"SUPABASE_URL": URL, "SUPABASE_SERVICE_ROLE_KEY": LEGACY_ANON}, "SUPABASE_SERVICE_ROLE_KEY holds the publishable")


class EnvFile(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.directory.name, ".env")

    def tearDown(self):
        self.directory.cleanup()

    def test_fills_what_the_environment_lacks_and_never_overrides_it(self):
        with open(self.path, "w") as handle:
            handle.write("SUPABASE_URL=http://from-file\nAGENT_TOKEN=file-token\nSUPABASE_ANON_KEY=%s\n" % LEGACY_ANON)
        config = load_config({"AGENT_TOKEN": "real-token", "SUPABASE_URL": ""}, self.path)
        self.assertEqual(config, ("http://from-file", LEGACY_ANON, "real-token"))

    def test_a_missing_file_is_no_error(self):
        self.assertEqual(read_env({"A": "1"}, self.path), {"A": "1"})

    def test_reads_dot_env_in_the_working_directory_by_default(self):
        with open(self.path, "w") as handle:
            handle.write("SUPABASE_URL=%s\nSUPABASE_KEY=%s\n" % (URL, SECRET))
        previous = os.getcwd()
        os.chdir(self.directory.name)
        try:
            self.assertEqual(load_config({}), (URL, SECRET, None))
        finally:
            os.chdir(previous)

    def test_an_unreadable_file_is_a_configuration_error(self):
        with self.assertRaises(ConfigurationError):
            read_env({}, self.directory.name)  # a directory, not a file


if __name__ == "__main__":
    unittest.main()
