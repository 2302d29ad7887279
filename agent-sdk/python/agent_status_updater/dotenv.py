"""A `.env` reader, so agents need no python-dotenv.

It reads what such files hold in practice: ``KEY=value`` lines, an optional ``export`` prefix, ``#``
comments, single quotes (taken literally), double quotes (``\\n``, ``\\t``, ``\\"`` and ``\\\\``
escapes), and unquoted values that end at `` #``. Variable references (``${OTHER}``) are not
expanded, as python-dotenv and the Node SDK's dotenv leave them by default too.
"""
import re

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def parse_env(text):
    """The variables a `.env` text sets, as a dict; lines it cannot read are skipped."""
    values = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = _LINE.match(lines[index])
        index += 1
        if not match:
            continue
        key, raw = match.group(1), match.group(2)
        if raw.startswith('"'):
            # A double-quoted value may run over several lines until its closing quote.
            while not _closed(raw) and index < len(lines):
                raw += "\n" + lines[index]
                index += 1
            values[key] = _double_quoted(raw)
        elif raw.startswith("'"):
            end = raw.find("'", 1)
            values[key] = raw[1:end] if end > 0 else raw[1:]
        else:
            values[key] = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
    return values


def _closed(raw):
    """True when a value that opened with a double quote also closes it (an escaped quote does not count)."""
    escaped = False
    for char in raw[1:]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            return True
    return False


def _double_quoted(raw):
    out = []
    escaped = False
    for char in raw[1:]:
        if escaped:
            out.append(_ESCAPES.get(char, "\\" + char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            break
        else:
            out.append(char)
    return "".join(out)


def read_env_file(path):
    """The variables a `.env` file sets; an empty dict when the file does not exist."""
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_env(handle.read())
    except FileNotFoundError:
        return {}
