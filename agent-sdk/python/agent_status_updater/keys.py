"""Supabase API keys: which kind a key is, and the headers that carry it.

Two models live side by side until hosted Supabase retires the legacy one:
- current: opaque ``sb_publishable_…`` and ``sb_secret_…`` keys. They travel in ``apikey`` only; the
  gateway maps them to the ``anon`` / ``service_role`` role and substitutes a JWT for that role.
  Sent as ``Authorization: Bearer`` they would be read as a (malformed) JWT and refused.
- legacy: HS256 JWTs whose ``role`` claim is ``anon`` or ``service_role``. PostgREST takes the role
  from ``Authorization``, so these go in both headers (as supabase-js sends them).
The agent's own token is neither: it travels as the ``p_token`` argument of the RPC, never in a header.
"""
import base64
import json

PUBLISHABLE = "publishable"
SECRET = "secret"
UNKNOWN = "unknown"

_JWT_ROLES = {"anon": PUBLISHABLE, "service_role": SECRET}


def is_jwt(key):
    """A JWT has three dot-separated parts; Supabase's legacy keys start with the header '{"alg"…' (eyJ)."""
    parts = key.split(".")
    return len(parts) == 3 and key.startswith("eyJ") and all(parts)


def _jwt_claims(key):
    payload = key.split(".")[1]
    try:
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(decoded.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def key_kind(key):
    """PUBLISHABLE (sb_publishable_…, legacy anon JWT), SECRET (sb_secret_…, legacy service_role JWT) or UNKNOWN."""
    if key.startswith("sb_publishable_"):
        return PUBLISHABLE
    if key.startswith("sb_secret_"):
        return SECRET
    if is_jwt(key):
        return _JWT_ROLES.get(_jwt_claims(key).get("role"), UNKNOWN)
    return UNKNOWN


def auth_headers(key):
    """The headers an API key travels in: always ``apikey``; ``Authorization`` only for a JWT."""
    headers = {"apikey": key}
    if is_jwt(key):
        headers["Authorization"] = "Bearer " + key
    return headers
