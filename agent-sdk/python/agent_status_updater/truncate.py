"""Messages as the database stores them (the TypeScript SDK's truncate.ts): cut like app.bounded_text(), free of
what Postgres refuses, and exceptions described in one line."""
import re
import traceback

from .constants import MESSAGE_MAX_LENGTH, TRUNCATION_MARKER

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def truncate_message(message, max_length=MESSAGE_MAX_LENGTH):
    """Cut like the database's app.bounded_text(), so what the agent logs is what the row shows.

    Lengths count code points, as Postgres's char_length() does (and as Python's len() does).
    """
    if len(message) <= max_length:
        return message
    return message[: max_length - len(TRUNCATION_MARKER)] + TRUNCATION_MARKER


def clean_text(value):
    """Any value as text that Postgres accepts: a NUL or a lone surrogate would make the report fail."""
    text = value if isinstance(value, str) else str(value)
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    # Lone surrogates (e.g. from surrogateescape decoding) cannot be encoded as UTF-8.
    return text.encode("utf-8", "replace").decode("utf-8")


def inert_text(value, max_length=500):
    """Text from the server as it may be logged: control characters (ESC, BEL, CR, the C1 range …), which a
    terminal would act on or which would forge log lines, become visible escapes (\\x1b); cut to max_length."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > max_length:
        text = text[: max_length - len(TRUNCATION_MARKER)] + TRUNCATION_MARKER
    return _CONTROL.sub(lambda match: "\\x%02x" % ord(match.group()), text)


def describe_error(error):
    """A readable one-line description of an exception: 'ValueError: bad input'."""
    if isinstance(error, BaseException):
        message = str(error)
        name = type(error).__name__
        return "%s: %s" % (name, message) if message else name
    return str(error)


def format_traceback(error):
    """The traceback of an exception, for the log (the database gets describe_error only)."""
    return "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()
