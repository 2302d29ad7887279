import unittest

from agent_status_updater.keys import PUBLISHABLE, SECRET, UNKNOWN, auth_headers, is_jwt, key_kind

from . import keys_for_tests as keys


class KeyKind(unittest.TestCase):
    def test_current_and_legacy_keys(self):
        self.assertEqual(key_kind(keys.PUBLISHABLE), PUBLISHABLE)
        self.assertEqual(key_kind(keys.SECRET), SECRET)
        self.assertEqual(key_kind(keys.LEGACY_ANON), PUBLISHABLE)
        self.assertEqual(key_kind(keys.LEGACY_SERVICE), SECRET)

    def test_anything_else_is_unknown(self):
        for key in ("abc", "eyJ.not.base64!", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYXV0aGVudGljYXRlZCJ9.sig", "a.b.c"):
            self.assertEqual(key_kind(key), UNKNOWN, key)


class Headers(unittest.TestCase):
    def test_a_legacy_jwt_key_travels_in_apikey_and_authorization(self):
        self.assertTrue(is_jwt(keys.LEGACY_SERVICE))
        self.assertEqual(auth_headers(keys.LEGACY_SERVICE),
                         {"apikey": keys.LEGACY_SERVICE, "Authorization": "Bearer " + keys.LEGACY_SERVICE})

    def test_an_opaque_key_travels_in_apikey_only_where_the_gateway_maps_it_to_its_role(self):
        for key in (keys.SECRET, keys.PUBLISHABLE):
            self.assertFalse(is_jwt(key))
            self.assertEqual(auth_headers(key), {"apikey": key})


if __name__ == "__main__":
    unittest.main()
