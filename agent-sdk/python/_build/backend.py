"""A PEP 517 build backend in the standard library alone, for this one pure-Python package.

Why not setuptools: pip builds a project in an isolated environment and fills it with the backend named
in `requires` from a package index. Where no index is reachable (this project's machines and CI, and
many production hosts) `pip install ./agent-sdk/python` then fails, unless the caller knows to add
`--no-build-isolation` and has setuptools and wheel installed. The module itself is standard library
only; its build is too, so the plain command works everywhere pip does.

It writes a `py3-none-any` wheel (PEP 427: the package's .py files, METADATA, WHEEL, RECORD with
sha256 digests), an editable wheel (PEP 660: a .pth file naming this folder) and an sdist.
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "agent_status_updater"
TAG = "py3-none-any"
# Fixed timestamps keep builds reproducible (zip cannot store times before 1980).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _project():
    """name, version, description and requires-python from pyproject.toml's [project] table.

    tomllib arrived in Python 3.11 and this must run on 3.9, so the few `key = "string"` lines it needs
    are read directly.
    """
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as handle:
        text = handle.read()
    table = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S).group(1)
    fields = dict(re.findall(r'^([A-Za-z-]+)\s*=\s*"([^"]*)"\s*$', table, re.M))
    return fields


def _dist_name(fields):
    return re.sub(r"[-_.]+", "_", fields["name"]).lower()


def _metadata(fields):
    lines = [
        "Metadata-Version: 2.1",
        "Name: %s" % fields["name"],
        "Version: %s" % fields["version"],
        "Summary: %s" % fields.get("description", ""),
        "Requires-Python: %s" % fields.get("requires-python", ">=3.9"),
    ]
    readme = os.path.join(ROOT, fields.get("readme", "README.md"))
    if os.path.isfile(readme):
        with open(readme, encoding="utf-8") as handle:
            lines += ["Description-Content-Type: text/markdown", "", handle.read()]
    return "\n".join(lines) + "\n"


def _package_files():
    """(path in the archive, path on disk) of every module of the package, sorted."""
    found = []
    for directory, subdirectories, files in os.walk(os.path.join(ROOT, PACKAGE)):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py") or name == "py.typed":
                full = os.path.join(directory, name)
                found.append((os.path.relpath(full, ROOT).replace(os.sep, "/"), full))
    return found


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def _write_wheel(wheel_directory, contents):
    """Writes a wheel holding ``contents`` ([(archive path, bytes)]) plus its .dist-info; returns its file name."""
    fields = _project()
    name, version = _dist_name(fields), fields["version"]
    dist_info = "%s-%s.dist-info" % (name, version)
    wheel_meta = "Wheel-Version: 1.0\nGenerator: agent-status _build/backend.py\nRoot-Is-Purelib: true\nTag: %s\n" % TAG
    contents = list(contents) + [
        (dist_info + "/METADATA", _metadata(fields).encode("utf-8")),
        (dist_info + "/WHEEL", wheel_meta.encode("utf-8")),
    ]
    record = "\n".join([_record_line(path, data) for path, data in contents] + [dist_info + "/RECORD,,"]) + "\n"
    contents.append((dist_info + "/RECORD", record.encode("utf-8")))
    filename = "%s-%s-%s.whl" % (name, version, TAG)
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in contents:
            info = zipfile.ZipInfo(path, ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return filename


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, [(path, _read(full)) for path, full in _package_files()])


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """`pip install -e`: a .pth file puts this folder on sys.path, so edits apply without reinstalling."""
    return _write_wheel(wheel_directory, [(PACKAGE + ".pth", (ROOT + "\n").encode("utf-8"))])


def build_sdist(sdist_directory, config_settings=None):
    fields = _project()
    base = "%s-%s" % (_dist_name(fields), fields["version"])
    filename = base + ".tar.gz"
    files = [("pyproject.toml", os.path.join(ROOT, "pyproject.toml")), ("_build/backend.py", os.path.abspath(__file__))]
    files += [(name, os.path.join(ROOT, name)) for name in ("README.md",) if os.path.isfile(os.path.join(ROOT, name))]
    files += _package_files()
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for path, full in files:
            _add_file(archive, base + "/" + path, _read(full))
        _add_file(archive, base + "/PKG-INFO", _metadata(fields).encode("utf-8"))
    return filename


def _add_file(archive, path, data):
    info = tarfile.TarInfo(path)
    info.size = len(data)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []
