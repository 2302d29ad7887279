"""Redaction (the TypeScript SDK's redact.ts): what a log line must not carry out of the worker. It runs on every
line as it is logged, before the line enters the buffer, so no line ever leaves the process unredacted. The default
hook hides the values of keys that look like credentials — in a line's fields and in ``key=value`` / ``key: value``
text — plus bearer tokens, JWTs, Supabase secret keys and passwords in URLs. Whatever hook is set, the worker's
own token and keys are hidden afterwards.
"""
import re

REDACTED = "[redacted]"

#: Words that make a key a credential's: "apiKey", "db_password", "Authorization", "session-token", ... — "key"
#: only as the key's last word ("apiKey", "private_key", "key"; not "KeyError" or "key_count").
SENSITIVE_WORDS = frozenset((
    "pass", "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "auth",
    "authorization", "credential", "credentials", "cookie", "session", "signature",
))

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
# A key starts where a word starts (the lookbehind), so a long run of letters costs linear time.
_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9_.-])([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&'\"}\]]+)"
)
# (a cheap test that the pattern may match, the pattern, its replacement)
_PATTERNS = (
    (re.compile(r"Bearer|Basic"), re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*"), r"\1 " + REDACTED),
    (re.compile(r"eyJ"), re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+"), REDACTED),
    (re.compile(r"sb_secret_"), re.compile(r"\bsb_secret_[A-Za-z0-9_-]+"), REDACTED),
    # scheme://user:password@host
    (re.compile(r"://\S*@"), re.compile(r"\b([a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@", re.I), r"\1" + REDACTED + "@"),
)


def is_sensitive_key(key):
    """Is this key's value a credential? Its words (camelCase, snake_case, kebab-case) are looked at."""
    words = [word for word in _WORD_SPLIT.split(_CAMEL.sub(r"\1 \2", str(key)).lower()) if word]
    return any(word in SENSITIVE_WORDS for word in words) or (bool(words) and words[-1] == "key")


def _quoted_like(value):
    quote = value[0] if value[:1] in ('"', "'") else ""
    return quote + REDACTED + quote


def redact_text(text):
    out = text
    for may_match, pattern, replacement in _PATTERNS:
        if may_match.search(out):
            out = pattern.sub(replacement, out)
    if "=" not in out and ":" not in out:
        return out

    def assignment(match):
        quote, key, separator, value = match.groups()
        if not is_sensitive_key(key):
            return match.group(0)
        return quote + key + quote + separator + _quoted_like(value)

    return _ASSIGNMENT.sub(assignment, out)


def _redact_value(value, depth):
    if isinstance(value, str):
        return redact_text(value)
    if depth > 8:
        return value
    if isinstance(value, list):
        return [_redact_value(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return redact_fields(value, depth + 1)
    return value


def redact_fields(fields, depth=0):
    return {
        key: REDACTED if is_sensitive_key(key) and value not in (None, "") else _redact_value(value, depth)
        for key, value in fields.items()
    }


def default_redact(line):
    """The default hook: values of credential-like keys, bearer tokens, JWTs, secret keys, URL passwords."""
    out = dict(line, text=redact_text(line["text"]))
    if line.get("fields"):
        out["fields"] = redact_fields(line["fields"])
    return out


def hide_secrets(secrets):
    """A function that hides these exact strings (the worker's own token and keys) in a line, whatever a hook did."""
    known = [s for s in secrets if isinstance(s, str) and len(s) >= 8]
    if not known:
        return lambda line: line

    def hide(text):
        for secret in known:
            text = text.replace(secret, REDACTED)
        return text

    def hide_in(value):
        if isinstance(value, str):
            return hide(value)
        if isinstance(value, list):
            return [hide_in(item) for item in value]
        if isinstance(value, dict):
            return {key: hide_in(item) for key, item in value.items()}
        return value

    def hide_line(line):
        out = dict(line, text=hide(line["text"]))
        if line.get("fields"):
            out["fields"] = hide_in(line["fields"])
        return out

    return hide_line
