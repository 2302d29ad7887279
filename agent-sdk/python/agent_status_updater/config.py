"""Configuration from the environment, completed by a `.env` file that never overrides the real environment.

Two modes:
- token (the normal one): ``AGENT_TOKEN`` with the project's publishable key (``SUPABASE_PUBLISHABLE_KEY``,
  or the legacy ``SUPABASE_ANON_KEY``). The agent may report only for itself.
- trusted (the original): a secret key (``SUPABASE_KEY``, ``SUPABASE_SECRET_KEY``, or the legacy
  ``SUPABASE_SERVICE_ROLE_KEY``) reports for any agent by name.
``SUPABASE_KEY`` is the original module's single variable: it is used for what it holds, so an original
``.env`` with the project's anon key in it works once ``AGENT_TOKEN`` is added.
When a token and a secret key are both present the token is used: least privilege wins.
"""
import os
from collections import namedtuple
from urllib.parse import urlsplit

from .dotenv import read_env_file
from .keys import PUBLISHABLE, SECRET, key_kind

PUBLISHABLE_VARIABLES = ("SUPABASE_PUBLISHABLE_KEY", "SUPABASE_ANON_KEY")
SECRET_VARIABLES = ("SUPABASE_SECRET_KEY", "SUPABASE_SERVICE_ROLE_KEY")
ORIGINAL_VARIABLE = "SUPABASE_KEY"


class ConfigurationError(Exception):
    """The environment does not say how to reach the backend, or says two contradictory things."""


#: url without a trailing slash; api_key goes in the headers; token (token mode only) in the RPC's p_token.
Config = namedtuple("Config", ["url", "api_key", "token"])


def read_env(env=None, env_file=".env"):
    """The real environment (``os.environ`` unless given) over the variables of ``env_file`` (None: none)."""
    source = os.environ if env is None else env
    merged = {}
    if env_file:
        try:
            merged.update(read_env_file(env_file))
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigurationError("cannot read %s: %s" % (env_file, error)) from error
    merged.update({key: value for key, value in source.items() if value})
    return merged


def _value(env, name):
    value = (env.get(name) or "").strip()
    return value or None


def _check_url(url):
    if not url:
        raise ConfigurationError("SUPABASE_URL is not set (e.g. SUPABASE_URL=http://127.0.0.1:54321)")
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port or 0) >= 0
    except ValueError:  # e.g. a port that is not a number
        valid = False
    if not valid:
        raise ConfigurationError('SUPABASE_URL must be an http:// or https:// URL, got "%s"' % url)
    return url.rstrip("/")


def _keys_by_role(env):
    """(publishable keys, secret keys) in order of preference, each as (variable, key); refuses a key in the wrong place."""
    publishable, secret = [], []
    for name in PUBLISHABLE_VARIABLES:
        key = _value(env, name)
        if key and key_kind(key) == SECRET:
            raise ConfigurationError(
                "%s holds a secret (service role) key; it must hold the project's publishable key" % name
            )
        if key:
            publishable.append((name, key))
    for name in SECRET_VARIABLES:
        key = _value(env, name)
        if key and key_kind(key) == PUBLISHABLE:
            raise ConfigurationError(
                "%s holds the publishable (anon) key, which cannot report for an agent; it must hold the secret key"
                % name
            )
        if key:
            secret.append((name, key))
    original = _value(env, ORIGINAL_VARIABLE)
    if original:
        (publishable if key_kind(original) == PUBLISHABLE else secret).insert(0, (ORIGINAL_VARIABLE, original))
    return publishable, secret


def config_from_env(env):
    """The Config the variables in ``env`` describe; ConfigurationError names what is missing or wrong."""
    url = _check_url(_value(env, "SUPABASE_URL"))
    publishable, secret = _keys_by_role(env)
    token = _value(env, "AGENT_TOKEN")
    if token:
        if not publishable:
            raise ConfigurationError(
                "AGENT_TOKEN is set but SUPABASE_PUBLISHABLE_KEY is not: the API gateway needs the project's "
                "publishable key (SUPABASE_PUBLISHABLE_KEY, or the legacy SUPABASE_ANON_KEY) on every request"
            )
        return Config(url, publishable[0][1], token)
    if secret:
        return Config(url, secret[0][1], None)
    if publishable:
        raise ConfigurationError(
            "%s is the project's publishable (anon) key, which cannot report for an agent: add AGENT_TOKEN "
            "(the agent's own token), or use a secret key (SUPABASE_KEY or SUPABASE_SECRET_KEY) for the trusted mode"
            % publishable[0][0]
        )
    raise ConfigurationError(
        "no credentials: set AGENT_TOKEN with SUPABASE_PUBLISHABLE_KEY (an agent reporting for itself), "
        "or SUPABASE_KEY / SUPABASE_SECRET_KEY (trusted mode: report for any agent by name)"
    )


def load_config(env=None, env_file=".env"):
    """config_from_env over read_env: the environment, completed by ``.env`` in the working directory."""
    return config_from_env(read_env(env, env_file))
