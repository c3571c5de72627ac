"""``make submit`` (the release's ``tools/submit.py``): exactly the course files go in, and the grader takes the zip.

The tool runs as a learner runs it, inside a freshly built release, with a
plain ``python`` (it must not need torch). Its zip is then read by the grader's
``discover`` and graded by ``grade_files`` in the real sandbox.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.build import release
from autograder.sandboxed.loader import Implementation
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader.grade_one import grade_files
from autograder.trusted.grader.remote.client import ForkServerClient
from autograder.trusted.grader.unpack.discover import discover
from autograder.trusted.harness.results import ScoredTest
from autograder.trusted.harness.run import run_suite

COURSE_FILES = sorted(f"{part.folder}/{stem}.py" for part in PARTS.values() for stem in part.files)


@pytest.fixture
def student(tmp_path) -> Path:
    out = tmp_path / "student"
    release.build(out)
    return out


def submit(student: Path) -> subprocess.CompletedProcess:
    # -S: no site-packages, so the tool is proven to need only the standard library.
    return subprocess.run(
        [sys.executable, "-S", "tools/submit.py"], cwd=student, capture_output=True, text=True, timeout=60
    )


def zipped(student: Path) -> dict[str, str]:
    with zipfile.ZipFile(student / "submission.zip") as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_stubs_pack_into_exactly_the_course_files(student):
    (student / "assignments/part1/conftest.py").write_text("import os\n")
    (student / "assignments/part1/notes.txt").write_text("scratch\n")
    (student / "assignments/part1/__pycache__").mkdir()
    (student / "assignments/part1/__pycache__/linear.cpython-311.pyc").write_bytes(b"\0")
    run = submit(student)
    assert run.returncode == 0, run.stdout + run.stderr
    files = zipped(student)
    assert sorted(files) == COURSE_FILES
    assert files["part1/linear.py"] == (student / "assignments/part1/linear.py").read_text()
    assert "still raising NotImplementedError: linear, predict_sign, predict_class" in run.stdout


def test_the_same_files_make_the_same_zip(student):
    submit(student)
    first = (student / "submission.zip").read_bytes()
    submit(student)
    assert (student / "submission.zip").read_bytes() == first


def test_missing_and_broken_files_are_named_and_left_out(student):
    (student / "assignments/part1/losses.py").unlink()
    (student / "assignments/part2/mlp.py").write_text("def MLP(:\n")
    run = submit(student)
    assert run.returncode == 1
    assert "MISSING part1/losses.py" in run.stdout
    assert "BROKEN  part2/mlp.py: line 1" in run.stdout
    assert sorted(zipped(student)) == sorted(set(COURSE_FILES) - {"part1/losses.py", "part2/mlp.py"})


def test_only_the_parts_handed_out_are_packed(student):
    for number in [n for n in PARTS if n != 1]:
        shutil.rmtree(student / "assignments" / PARTS[number].folder)
    run = submit(student)
    assert run.returncode == 0, run.stdout
    assert sorted(zipped(student)) == [f for f in COURSE_FILES if f.startswith("part1/")]


def _small_manifest(apis: list[str]) -> list[ScoredTest]:
    tests = run_suite(Implementation(REPO_ROOT / "solutions", "reference"), parts=[1], device="cpu", apis=apis)
    assert tests and not [t for t in tests if t.failures]
    return tests


def test_the_grader_takes_the_zip(student, tmp_path):
    # The learner finished linear.py (the reference's, here); the rest are still stubs.
    reference = (REPO_ROOT / "solutions/part1/linear.py").read_text()
    (student / "assignments/part1/linear.py").write_text(reference)
    assert submit(student).returncode == 0
    sent = zipped(student)

    found = discover(student / "submission.zip")
    assert len(found) == 1 and not found[0].error
    assert found[0].files == sent

    server = ForkServerClient(tmp_path / "forkserver")
    try:
        manifest = _small_manifest(["linear", "softmax"])
        result, _ = grade_files(
            "zip", found[0].files, server, tmp_path / "scratch", manifest, device="cpu", call_timeout=10
        )
    finally:
        server.close()
    scores = {}
    for test in result.tests:
        earned, top = scores.get(test.api, (0.0, 0.0))
        scores[test.api] = (earned + test.score, top + test.max_score)
    assert scores["linear"][0] == scores["linear"][1] > 0
    assert scores["softmax"] == (0.0, scores["softmax"][1]) and scores["softmax"][1] > 0
