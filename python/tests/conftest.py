"""Fixtures: the interpreters to test (every pyenv 3.8-3.13 present), the built heapgraph CLI."""
import glob
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(PACKAGE_DIR)
PROGRAMS = os.path.join(HERE, "programs")
sys.path.insert(0, HERE)
sys.path.insert(0, PACKAGE_DIR)

WANTED = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]


def _find_interpreters():
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = {}
    for minor in WANTED:
        candidates = sorted(glob.glob(os.path.join(root, "versions", minor + ".*", "bin", "python3")))
        candidates = [c for c in candidates if os.path.basename(os.path.dirname(os.path.dirname(c))).count(".") == 2]
        found[minor] = candidates[-1] if candidates else None
    return found


INTERPRETERS = _find_interpreters()


@pytest.fixture(params=WANTED)
def python(request):
    """Each CPython 3.8-3.13 that pyenv has; absent ones are skipped with a message."""
    path = INTERPRETERS.get(request.param)
    if path is None:
        pytest.skip("CPython %s is not installed (pyenv has no %s.x)" % (request.param, request.param))
    return path


@pytest.fixture(scope="session")
def heapgraph():
    path = os.environ.get("HEAPGRAPH_CLI") or os.path.join(REPO, ".build", "debug", "heapgraph")
    if not os.access(path, os.X_OK):
        pytest.skip("the heapgraph CLI is not built (swift build --product heapgraph): %s" % path)
    return path


def run_program(python, name, *args, cwd=None):
    """Run a test program with the package importable; returns the CompletedProcess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([PACKAGE_DIR, PROGRAMS])
    env.pop("PYTHONSTARTUP", None)
    return subprocess.run([python, os.path.join(PROGRAMS, name)] + list(args), env=env, cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120)


def run_cli(heapgraph, *args):
    return subprocess.run([heapgraph] + list(args) + ["--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120)


def counts_before(path):
    with open(path + ".counts.json") as f:
        return json.load(f)

pytest_plugins = ["pytester"]
