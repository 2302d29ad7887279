import base64
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

import agent_status_updater

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_backend():
    spec = importlib.util.spec_from_file_location("backend", os.path.join(ROOT, "_build", "backend.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Backend(unittest.TestCase):
    def setUp(self):
        self.backend = load_backend()
        self.directory = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.directory.cleanup()

    def test_the_version_is_the_one_in_pyproject(self):
        self.assertEqual(self.backend._project()["version"], agent_status_updater.__version__)

    def test_the_wheel_holds_every_module_and_a_record_that_matches(self):
        name = self.backend.build_wheel(self.directory.name)
        self.assertEqual(name, "agent_status_updater-%s-py3-none-any.whl" % agent_status_updater.__version__)
        with zipfile.ZipFile(os.path.join(self.directory.name, name)) as wheel:
            names = wheel.namelist()
            modules = sorted(n for n in os.listdir(os.path.join(ROOT, "agent_status_updater")) if n.endswith(".py"))
            self.assertEqual(sorted(n.split("/")[1] for n in names if n.startswith("agent_status_updater/")), modules)
            record = wheel.read([n for n in names if n.endswith("/RECORD")][0]).decode()
            for line in record.splitlines():
                path, digest, size = line.rsplit(",", 2)
                if not digest:
                    continue
                data = wheel.read(path)
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                self.assertEqual((digest, int(size)), ("sha256=" + expected, len(data)), path)
            metadata = wheel.read([n for n in names if n.endswith("/METADATA")][0]).decode()
            self.assertIn("Name: agent-status-updater", metadata)
            self.assertIn("Requires-Python: >=3.9", metadata)

    def test_the_sdist_can_build_again(self):
        name = self.backend.build_sdist(self.directory.name)
        with tarfile.open(os.path.join(self.directory.name, name)) as sdist:
            names = sdist.getnames()
        base = name[: -len(".tar.gz")]
        for path in ("pyproject.toml", "_build/backend.py", "PKG-INFO", "agent_status_updater/__init__.py"):
            self.assertIn(base + "/" + path, names)


class PipInstall(unittest.TestCase):
    """`pip install ./agent-sdk/python` into a fresh virtual environment, with no package index at all."""

    def test_installs_offline_and_imports_from_anywhere(self):
        with tempfile.TemporaryDirectory() as directory:
            venv = os.path.join(directory, "venv")
            made = subprocess.run([sys.executable, "-m", "venv", venv], capture_output=True, text=True)
            python = os.path.join(venv, "Scripts" if os.name == "nt" else "bin", "python")
            if made.returncode != 0 or subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode:
                self.skipTest("no venv with pip here (Debian: apt-get install python3-venv): %s" % made.stderr.strip())
            env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONPATH="")
            installed = subprocess.run([python, "-m", "pip", "install", "--no-index", ROOT], capture_output=True, text=True, env=env)
            self.assertEqual(installed.returncode, 0, installed.stdout + installed.stderr)
            probe = "import agent_status_updater as a; print(a.__version__, a.__file__)"
            out = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=directory, env=env)
            self.assertEqual(out.returncode, 0, out.stderr)
            version, path = out.stdout.split()
            self.assertEqual(version, agent_status_updater.__version__)
            self.assertTrue(path.startswith(venv), path)
        self.assertFalse([n for n in os.listdir(ROOT) if re.search(r"egg-info|^build$", n)], "the build left files behind")


if __name__ == "__main__":
    unittest.main()
