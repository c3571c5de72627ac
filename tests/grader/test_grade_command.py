"""`python -m autograder grade` end to end: a row per submission, Gradescope files, resume, catalog bugs."""

import csv
import json
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from autograder.catalog import load_all
from autograder.examples import bug_source, replace_function
from autograder.examples.notebooks import realistic_notebook
from autograder.shared.paths import REPO_ROOT

BUGS = [e for e in load_all() if e.kind == "bug" and e.part == 1][::12]  # a spread of Part 1 bugs


NOTEBOOK = realistic_notebook()  # the reference Part 1 with plots, a Colab mount, an error cell, a training loop ...


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    export = tmp_path_factory.mktemp("export")
    shutil.copytree(REPO_ROOT / "solutions/part1", export / "reference/part1")
    stubs = export / "stubs.zip"
    with zipfile.ZipFile(stubs, "w") as archive:
        for path in sorted((REPO_ROOT / "assignments/part1").glob("*.py")):
            archive.write(path, f"my work/{path.name}")
    for index, entry in enumerate(BUGS):
        target = export / f"bug{index}" / "part1"
        shutil.copytree(REPO_ROOT / "solutions/part1", target)
        stem = next(
            s
            for s, names in __import__("autograder.shared.api", fromlist=["PART1"]).PART1.files.items()
            if entry.api in names
        )
        path = target / f"{stem}.py"
        path.write_text("import torch\n" + replace_function(path.read_text(), entry.api, bug_source(entry)))
    (export / "empty").mkdir()
    (export / "notebook").mkdir()
    (export / "notebook" / "Part 1 (final).ipynb").write_text(NOTEBOOK.to_json())
    out = tmp_path_factory.mktemp("out")
    command = [sys.executable, "-m", "autograder", "grade", str(export), str(out), "--part", "1", "--jobs", "2"]
    command += ["--notebook-budget", "3"]
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = {row["submission"]: row for row in csv.DictReader((out / "grades.csv").open())}
    return export, out, rows, command


def test_every_submission_gets_a_row(graded):
    export, _, rows, _ = graded
    assert set(rows) == {p.stem for p in export.iterdir()}


def test_reference_full_marks_and_stubs_zero(graded):
    _, _, rows, _ = graded
    assert float(rows["reference"]["score"]) == float(rows["reference"]["max_score"]) > 0
    assert float(rows["stubs"]["score"]) == 0


def test_catalog_bugs_lose_points_through_the_grader(graded):
    _, out, rows, _ = graded
    for index, entry in enumerate(BUGS):
        row = rows[f"bug{index}"]
        assert float(row["score"]) < float(row["max_score"]), f"{entry.id} kept full marks"
        results = json.loads((out / f"bug{index}" / "results.json").read_text())
        lost = {t["name"].split(":")[0] for t in results["tests"] if t["score"] < t["max_score"]}
        # A learner's training loop calls the learner's own functions, so a bug may also cost their callers.
        assert entry.api in lost, f"{entry.id} lost points only on {lost}"


def test_notebook_submission_is_graded_like_files(graded):
    _, _, rows, _ = graded
    assert float(rows["notebook"]["score"]) == float(rows["reference"]["score"])


def test_each_failed_notebook_cell_is_named_in_the_feedback(graded):
    _, out, _, _ = graded
    feedback = (out / "notebook" / "feedback.md").read_text()
    for number, keyword in NOTEBOOK.failing.items():
        lines = [line for line in feedback.splitlines() if line.startswith(f"- Part 1 (final).ipynb cell {number}:")]
        assert len(lines) == 1 and keyword in lines[0], (number, keyword, feedback)


def test_ungradeable_submission_has_a_reason(graded):
    _, out, rows, _ = graded
    assert float(rows["empty"]["score"]) == 0 and rows["empty"]["note"]
    tests = json.loads((out / "empty" / "results.json").read_text())["tests"]
    assert tests and {t["extra_data"]["kind"] for t in tests} == {"learner_error"}


def test_gradescope_results_and_feedback_are_written(graded):
    _, out, _, _ = graded
    results = json.loads((out / "stubs" / "results.json").read_text())
    assert {"score", "tests"} <= set(results)
    assert all({"name", "score", "max_score", "output", "visibility"} <= set(t) for t in results["tests"])
    assert {t["extra_data"]["kind"] for t in results["tests"]} == {"not_implemented"}
    assert "not implemented yet" in (out / "stubs" / "feedback.md").read_text()
    assert "Sandbox layers" in (out / "report.html").read_text()


def test_rerun_resumes_without_regrading(graded):
    _, out, _, command = graded
    before = (out / "reference" / "grading.json").stat().st_mtime_ns
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "already graded" in run.stderr
    assert (out / "reference" / "grading.json").stat().st_mtime_ns == before


def test_ctrl_c_then_rerun_finishes_the_class(tmp_path):
    export, out = tmp_path / "export", tmp_path / "out"
    for name in ("a", "b", "c"):
        shutil.copytree(REPO_ROOT / "solutions/part1", export / name / "part1")
    command = [sys.executable, "-m", "autograder", "grade", str(export), str(out), "--part", "1", "--jobs", "1"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not list(out.glob("*/grading.json")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130 and "interrupted" in stderr, stderr[-2000:]
    finished = {p.parent.name for p in out.glob("*/grading.json")}
    assert 1 <= len(finished) < 3
    rerun = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and f"{len(finished)} already graded" in rerun.stderr
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert sorted(r["submission"] for r in rows) == ["a", "b", "c"]
    assert all(float(r["score"]) == float(r["max_score"]) > 0 for r in rows)
