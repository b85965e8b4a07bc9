"""The pytest plugin, as an installed package registers it (pytest11), on pytester-made suites."""
import os

import pytest

from hgread import Snapshot

try:
    import importlib.metadata as _metadata
except ImportError:  # 3.7
    _metadata = None


def _installed():
    if _metadata is None:
        return False
    try:
        eps = _metadata.entry_points()
        group = eps.select(group="pytest11") if hasattr(eps, "select") else eps.get("pytest11", [])
        return any(ep.value == "heapgraph_dump.pytest_plugin" for ep in group)
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not _installed(), reason="heapgraph_dump is not pip-installed in this environment "
                                                         "(scripts/test-python installs it)")

SUITE = '''
import _testcapi
import gc
import pytest

class Session:
    def __init__(self):
        self.me = self

SESSIONS = []
GROWING = []

@pytest.fixture
def messy():
    # Garbage made by a fixture before the test body is not the test's.
    for _ in range(5):
        Session()
    return 1

def test_clean(messy):
    x = [1, 2, 3]
    assert messy == 1

@pytest.mark.no_leaks
def test_cycle_garbage():
    a = {"name": "a"}
    b = [a]
    a["b"] = b

@pytest.mark.no_leaks(types=["test_suite.Session"])
def test_keeps_session():
    SESSIONS.append(Session())

@pytest.mark.no_leaks(types=["test_suite.Session"])
def test_session_freed():
    s = Session()
    s.me = None

@pytest.mark.no_leaks(runs=4)
def test_grows_every_run():
    GROWING.append([len(GROWING)])

@pytest.mark.no_leaks(runs=4)
def test_grows_once():
    if not GROWING:
        GROWING.append([0])

class Legacy:
    pass

# tp_del: a legacy finalizer; a cycle of these is uncollectable (it stays in gc.garbage).
Legacy = _testcapi.with_tp_del(Legacy)

@pytest.mark.no_leaks
def test_uncollectable():
    a = Legacy()
    b = Legacy()
    a.peer = b
    b.peer = a
    c = {"name": "c"}
    d = [c]
    c["d"] = d

@pytest.mark.no_leaks
def test_collector_runs_inside():
    # A collection during the body must not change the verdict.
    a = []
    a.append(a)
    del a
    gc.collect()
'''


def test_markers_and_verdicts(pytester, tmp_path):
    pytester.makepyfile(test_suite=SUITE)
    artifacts = tmp_path / "artifacts"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--heapgraph", "--heapgraph-dir", str(artifacts))
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 5 and outcomes.get("passed") == 3, result.stdout.str()
    text = result.stdout.str()
    result.stdout.fnmatch_lines(["*FAILED test_suite.py::test_cycle_garbage*"])
    assert "new cyclic garbage: 2 objects (dict 1, list 1)" in text
    assert "cycle: dict → list → dict" in text or "cycle: list → dict → list" in text
    assert "still alive: 1 new objects of test_suite.Session" in text
    # The trace is heapgraph's (backrefs): from a named root, with the edges' labels.
    assert "\n".join(["│ Root: module global test_suite.SESSIONS", "│", "├─ list instance", "│    ↓ list[0]",
                      "╰→ test_suite.Session instance"]) in text, text
    assert "grew at every one of 4 runs: list " in text
    assert "PluggyTeardownRaisedWarning" not in text
    for name in ("test_clean", "test_session_freed", "test_grows_once"):
        assert "FAILED test_suite.py::%s " % name not in text
    assert "FAILED test_suite.py::test_collector_runs_inside" in text
    # Uncollectable objects apart from ordinary cyclic garbage, in the verdict ...
    assert "new uncollectable objects: 2 (test_suite.Legacy 2)" in text
    uncollectable_verdict = text[text.index("_ test_uncollectable _"):]
    assert "new cyclic garbage: 2 objects (dict 1, list 1)" in uncollectable_verdict
    saved = sorted(os.listdir(str(artifacts)))
    assert "test_suite.py_test_cycle_garbage.heapgraph" in saved
    assert "test_suite.py_test_cycle_garbage.txt" in saved
    # ... and in the snapshot's flags: only the uncollectable ones are in gc.garbage (16).
    snap = Snapshot(str(artifacts / "test_suite.py_test_uncollectable.heapgraph"))
    flagged = [n["type"] for n in snap.nodes if n["flags"] & 16]
    assert flagged == ["test_suite.Legacy"] * 2, flagged
    garbage = Snapshot(str(artifacts / "test_suite.py_test_cycle_garbage.heapgraph"))
    assert not [n for n in garbage.nodes if n["flags"] & 16]


def test_without_option_only_marked_tests_are_checked(pytester):
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-k", "clean or cycle_garbage")
    result.assert_outcomes(passed=1, failed=1)
