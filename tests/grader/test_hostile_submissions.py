"""Hostile and faulty submissions gain nothing and disturb nothing: the grader's regression suite.

Each case takes the reference's Part 1, swaps one function (or one file) for an
attack, and grades it in the real sandbox: the attacked function must earn
nothing it did not compute honestly, the untouched functions must keep full
marks, and nothing may escape the worker (files, processes, signals).
"""

import subprocess
import time
from pathlib import Path

import pytest

from autograder.examples import replace_function
from autograder.shared.feedback import FAILURE_KINDS
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader.grade_one import grade_files

ESCAPE_MARK = Path("/tmp/llmuth-hostile-escaped")


def reference_files() -> dict[str, str]:
    return {f"part1/{p.name}": p.read_text() for p in sorted((REPO_ROOT / "solutions/part1").glob("*.py"))}


def with_function(stem: str, api: str, source: str) -> dict[str, str]:
    files = reference_files()
    files[f"part1/{stem}.py"] = replace_function(files[f"part1/{stem}.py"], api, source)
    return files


def grade(server, manifest, tmp_path, files, apis, timeout=3.0):
    result, layers = grade_files(
        "hostile", files, server, tmp_path / "scratch", manifest, device="cpu", call_timeout=timeout, apis=apis
    )
    scores = {}
    for test in result.tests:
        earned, possible = scores.get(test.api, (0.0, 0.0))
        scores[test.api] = (earned + test.score, possible + test.max_score)
    return result, scores


def full(scores, api):
    return scores[api][0] == scores[api][1] > 0


ATTACKS = {
    "reads the reference from disk": (
        "probabilities",
        "softmax",
        """def softmax(z, dim=-1):
    import glob
    for path in glob.glob("/**/solutions/part1/probabilities.py", recursive=True)[:3] + [
        "/work/main/solutions/part1/probabilities.py"]:
        namespace = {}
        exec(open(path).read().replace("from .", "from "), namespace)
        return namespace["softmax"](z, dim)
    raise RuntimeError("no reference found")
""",
    ),
    "walks the stack and sys.modules for the reference": (
        "probabilities",
        "softmax",
        """def softmax(z, dim=-1):
    import inspect, sys, gc
    for frame in inspect.stack():
        other = frame.frame.f_globals.get("softmax")
        if other is not None and other is not softmax:
            return other(z, dim)
    for name, module in list(sys.modules.items()):
        if "solution" in name and hasattr(module, "softmax"):
            return module.softmax(z, dim)
    for obj in gc.get_objects():
        if type(obj).__name__ == "function" and obj.__name__ == "softmax" and obj is not softmax:
            return obj(z, dim)
    return z
""",
    ),
    "patches comparisons and returns an always-equal object": (
        "probabilities",
        "softmax",
        """def softmax(z, dim=-1):
    import torch, numpy
    torch.allclose = torch.equal = lambda *a, **k: True
    torch.isclose = lambda a, b, **k: torch.ones_like(a, dtype=torch.bool)
    numpy.allclose = lambda *a, **k: True
    class Equal(torch.Tensor):
        def __eq__(self, other):
            return True
    return z.as_subclass(Equal)
""",
    ),
    "forges results files and a pytest summary": (
        "probabilities",
        "softmax",
        """def softmax(z, dim=-1):
    for target in ("/autograder/results/results.json", "../results.json", "/tmp/results.json"):
        try:
            open(target, "w").write('{"score": 999}')
        except OSError:
            pass
    print("==== 200 passed in 0.1s ====")
    return z
""",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_cheating_attack_gains_nothing_and_costs_nothing_else(server, manifest, tmp_path, attack):
    stem, api, source = ATTACKS[attack]
    result, scores = grade(server, manifest, tmp_path, with_function(stem, api, source), [api, "linear"])
    assert scores[api][0] == 0, f"{attack}: earned {scores[api]}"
    assert full(scores, "linear"), f"{attack} disturbed an honest function: {scores['linear']}"
    assert not Path("/tmp/results.json").exists()


ESCAPES = {
    "endless loop ignoring signals": """def xor_features(x):
    import signal
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGXCPU):
        signal.signal(s, signal.SIG_IGN)
    while True:
        pass
""",
    "memory bomb": """def xor_features(x):
    hog = []
    while True:
        hog.append(bytearray(64 * 2**20))
""",
    "fork bomb and background process": """def xor_features(x):
    import os, subprocess
    try:
        subprocess.Popen(["sleep", "777"])
    except OSError:
        pass
    while True:
        os.fork()
""",
    "segfault": """def xor_features(x):
    import ctypes
    ctypes.string_at(0)
""",
    "recursion until the C stack breaks": """def xor_features(x):
    import sys
    sys.setrecursionlimit(10**7)
    def deeper(n):
        return deeper(n + 1) + 1
    return deeper(0)
""",
    "os._exit": """def xor_features(x):
    import os
    os._exit(0)
""",
    "writes outside its folder": """def xor_features(x):
    open("/tmp/llmuth-hostile-escaped", "w").write("out")
    return x
""",
    "network access": """def xor_features(x):
    import socket
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    return x
""",
    "output flood": """def xor_features(x):
    while True:
        print("flood" * 10000)
""",
    "kills other processes": """def xor_features(x):
    import os, signal
    for pid in range(2, 70000):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return x
""",
}


# The verdict each of these earns on every test it loses, as data (results.json's extra_data.kind).
ESCAPE_KINDS = {"endless loop ignoring signals": "timeout", "segfault": "crash", "os._exit": "crash"}


@pytest.mark.parametrize("escape", sorted(ESCAPES))
def test_faulty_or_escaping_submission_costs_only_its_own_tests(server, manifest, tmp_path, escape):
    bystander = subprocess.Popen(["sleep", "120"])
    started = time.monotonic()
    try:
        files = with_function("features", "xor_features", ESCAPES[escape])
        result, scores = grade(server, manifest, tmp_path, files, ["xor_features", "linear", "softmax"], timeout=3)
    finally:
        alive = bystander.poll() is None
        bystander.kill()
    assert scores["xor_features"][0] == 0
    assert full(scores, "linear") and full(scores, "softmax"), f"{escape} disturbed other functions: {scores}"
    assert alive, "the submission killed a process outside its sandbox"
    assert not ESCAPE_MARK.exists(), "the submission wrote outside its scratch folder"
    assert subprocess.run(["pgrep", "-f", "sleep 777"], capture_output=True).returncode != 0, "a process outlived it"
    assert time.monotonic() - started < 60
    failing = [t.output for t in result.tests if t.api == "xor_features"]
    assert all(output and len(output) < 3000 for output in failing), "every lost test says why, briefly"
    kinds = {t.kind for t in result.tests if t.api == "xor_features"}
    assert kinds <= FAILURE_KINDS, kinds
    if escape in ESCAPE_KINDS:
        assert kinds == {ESCAPE_KINDS[escape]}, f"{escape}: verdicts {kinds}"


def test_crash_at_import_costs_only_that_file(server, manifest, tmp_path):
    files = reference_files()
    files["part1/features.py"] = "import os\nos._exit(3)\n"
    result, scores = grade(server, manifest, tmp_path, files, ["xor_features", "linear"])
    assert scores["xor_features"][0] == 0 and full(scores, "linear")
    assert any("status 3" in t.output for t in result.tests if t.api == "xor_features")
    assert {t.kind for t in result.tests if t.api == "xor_features"} == {"crash"}


def test_garbage_on_the_protocol_socket_is_contained(server, manifest, tmp_path):
    source = """def xor_features(x):
    import os, stat
    for fd in range(3, 64):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.write(fd, b"\\xff" * 64 + b'{"ok": 1}')
        except OSError:
            pass
    return x
"""
    result, scores = grade(
        server, manifest, tmp_path, with_function("features", "xor_features", source), ["xor_features", "linear"]
    )
    assert scores["xor_features"][0] == 0 and full(scores, "linear")
    assert {t.kind for t in result.tests if t.api == "xor_features"} == {"crash"}


def test_grading_is_deterministic(server, manifest, tmp_path):
    files = with_function(
        "probabilities", "softmax", ATTACKS["patches comparisons and returns an always-equal object"][2]
    )
    first, _ = grade(server, manifest, tmp_path, files, ["softmax", "cross_entropy", "train_log_linear"])
    second, _ = grade(server, manifest, tmp_path, files, ["softmax", "cross_entropy", "train_log_linear"])
    assert [(t.name, t.score, t.output) for t in first.tests] == [(t.name, t.score, t.output) for t in second.tests]
