"""The instructor's view of a class, piece by piece: common mistakes, regrade differences, code similarity, browser.

Fast: results are built by hand (no grading); the similarity test builds submissions
from the catalog's variants and only reads them; the browser tests skip, saying why,
where Chromium is missing.
"""

import csv
import io
import shutil
from pathlib import Path

import pytest

from autograder.examples.copies import disguise, disguised_copy, independent
from autograder.trusted.grader.unpack.discover import discover
from autograder.trusted.harness.results import ScoredTest, SubmissionResult
from autograder.trusted.report import browser, mistakes, regrade, report

OVERFLOW = "softmax on scores of 1000\nexpected: 0.5\ngot: nan\nlikely cause: subtract the max before exponentiating"
HINTS = {
    "wrong_value": OVERFLOW,
    "not_implemented": "softmax is not implemented yet (still raises NotImplementedError in probabilities.py)",
    "forbidden_call": "softmax called torch.softmax, which Part 1 does not allow: the point of the exercise ...",
    "timeout": "the call timed out after 5 s while running your code (an endless loop?); it was stopped",
    "crash": "the worker closed while running your code; it exited with status 1 (os._exit or sys.exit at import?)",
    "wrong_device": "softmax on cuda\nexpected: a tensor on cuda\ngot: a tensor on cpu\nlikely cause: use device=",
    "learner_error": "softmax raised IndexError: index 3 is out of bounds (at probabilities.py line 12: z[3])",
}
KIND_OF_HINT = {hint: kind for kind, hint in HINTS.items()}


def outcome(
    api: str, output: str, score: float = 0.0, status: str = "failed", name: str = "", kind: str = ""
) -> ScoredTest:
    """A scored test; its kind, unless given, is the one whose hint ``output`` is (wrong value by default)."""
    kind = kind or ("passed" if status == "passed" else KIND_OF_HINT.get(output, "wrong_value"))
    return ScoredTest(f"t::{api}", name or f"{api}: a test", api, "public", 2.0, status, score, kind, output)


def submission(sid: str, *tests: ScoredTest) -> SubmissionResult:
    return SubmissionResult(sid, tests)


def test_one_bug_in_many_submissions_is_one_group_naming_them(tmp_path):
    overflow = [
        submission(f"s{i}", outcome("softmax", OVERFLOW), outcome("linear", "passed", 2.0, "passed")) for i in range(7)
    ]
    other = submission("t", outcome("softmax", HINTS["forbidden_call"]), outcome("linear", HINTS["timeout"]))
    missing = submission(
        "u",
        outcome("linear", "linear could not be loaded: part1/linear.py: file not found at /x", kind="learner_error"),
    )
    groups = mistakes.common_mistakes([*overflow, other, missing])
    first = groups[0]
    assert (first.api, first.kind, first.cause) == ("softmax", "wrong_value", "subtract the max before exponentiating")
    assert first.submissions == [f"s{i}" for i in range(7)]
    assert ("softmax", "forbidden_call", "calls torch.softmax") in {(g.api, g.kind, g.cause) for g in groups}
    assert groups[-1].cause == mistakes.NOT_SUBMITTED  # never submitted: not a mistake to explain, listed last
    rows = list(csv.DictReader(io.StringIO(mistakes.mistakes_csv(groups))))
    assert rows[0]["submissions"] == "7" and rows[0]["submission_ids"].split() == first.submissions
    html = (report.write_report(tmp_path, [*overflow, other, missing], {})).read_text()
    assert "subtract the max before exponentiating" in html and "s0, s1, s2, s3, s4 and 2 more" in html


def test_per_test_counts_of_each_kind():
    results = [submission(f"s{i}", outcome("train", HINTS["timeout"], name="train: fits")) for i in range(3)]
    results.append(submission("w", outcome("train", OVERFLOW, name="train: fits")))
    counts = mistakes.kind_counts(results)
    assert mistakes.describe_counts(counts["train: fits"]) == "timeout ×3, wrong value ×1"


def test_a_regrade_says_who_changed_on_which_tests_and_keeps_the_old_grades(tmp_path):
    before = [
        submission(
            "ann", outcome("softmax", OVERFLOW, name="softmax: big"), outcome("linear", "passed", 2.0, "passed")
        ),
        submission("bob", outcome("softmax", "passed", 2.0, "passed", name="softmax: big")),
    ]
    from autograder.trusted.grader.bulk import write_class_files

    write_class_files(tmp_path, before, {}, None, None)
    assert not (tmp_path / "regrade.csv").exists()
    old_grades = (tmp_path / "grades.csv").read_text()
    previous = regrade.keep_previous(tmp_path)
    assert (tmp_path / "grades.previous.csv").read_text() == old_grades
    after = [
        submission("ann", outcome("softmax", "passed", 2.0, "passed", name="softmax: big"), before[0].tests[1]),
        before[1],
        submission("cat", outcome("softmax", OVERFLOW, name="softmax: big")),
    ]
    write_class_files(tmp_path, after, {}, previous, None)
    rows = {r["submission"]: r for r in csv.DictReader((tmp_path / "regrade.csv").open())}
    assert set(rows) == {"ann", "cat"}  # bob did not change
    assert (rows["ann"]["score_before"], rows["ann"]["score_after"], rows["ann"]["change"]) == ("2", "4", "+2")
    assert rows["ann"]["tests_changed"] == "softmax: big 0 -> 2"
    assert rows["cat"]["score_before"] == ""
    page = (tmp_path / "report.html").read_text()
    assert report.SECTIONS["regrade"] in page and "Class mean 2.0 before, 2.0 after" in page


def test_disguise_renames_locals_and_reverses_functions_but_keeps_the_code_working():
    source = "def f(x, y=1):\n    total = x + y\n    return total\n\n\ndef g(z):\n    out = f(z, y=2)\n    return out\n"
    changed = disguise(source)
    assert "total" not in changed and "out" not in changed and changed.index("def g") < changed.index("def f")
    scope: dict = {}
    exec(compile(changed, "disguised", "exec"), scope)  # our own generated source, not learner code
    assert scope["g"](1) == 3


def test_a_disguised_copy_ranks_above_independently_written_submissions(tmp_path):
    pytest.importorskip(
        "copydetect", reason="copydetect is an instructor tool: pip install -r requirements/instructor.txt"
    )
    from autograder.trusted.report import similarity

    for choice in range(5):
        independent(tmp_path / "export" / f"learner{choice}", choice)
    disguised_copy(tmp_path / "export" / "learner2", tmp_path / "export" / "copycat")
    copied = (tmp_path / "export/copycat/part1/probabilities.py").read_text()
    assert copied != (tmp_path / "export/learner2/part1/probabilities.py").read_text()
    found = {s.id: s.files for s in discover(tmp_path / "export")}
    pairs = similarity.write_similarity(tmp_path / "out", found)
    assert {pairs[0].a, pairs[0].b} == {"copycat", "learner2"}, [(p.a, p.b, round(p.score, 2)) for p in pairs[:3]]
    assert pairs[0].score > 0.9 and all(p.score < pairs[0].score for p in pairs[1:])
    page = (tmp_path / "out/similarity.html").read_text()
    assert "copycat &amp; learner2" in page and "<mark>" in page
    rows = list(csv.DictReader((tmp_path / "out/similarity.csv").open()))
    assert len(rows) == 15 and rows[0]["flagged"] == "yes"


def test_the_released_stubs_are_never_counted_as_copied(tmp_path):
    pytest.importorskip(
        "copydetect", reason="copydetect is an instructor tool: pip install -r requirements/instructor.txt"
    )
    from autograder.trusted.report import similarity

    root = Path(__file__).resolve().parents[2]
    for name in ("a", "b"):
        shutil.copytree(root / "assignments/part1", tmp_path / name / "part1", ignore=shutil.ignore_patterns("tests"))
    found = {s.id: s.files for s in discover(tmp_path)}
    pairs = similarity.compare_class(found, similarity.boilerplate_texts())
    assert not similarity.flagged(pairs), [(p.a, p.b, p.score, p.overlap) for p in pairs]


def _chromium_or_skip() -> None:
    if not browser.find_chromium():
        pytest.skip("Chromium is not installed (make browser, or apt-get install -y chromium): no browser check")


def test_the_browser_check_sees_console_errors_and_missing_plots(tmp_path):
    _chromium_or_skip()
    page = tmp_path / "bad.html"
    page.write_text(
        "<!doctype html><h1>Broken</h1><svg width='0' height='0'></svg><img src='missing.png'>"
        "<script>console.error('boom'); undefined_function()</script>"
    )
    seen = browser.view(page)
    assert seen.headings == ["Broken"] and (0.0, 0.0) in seen.plots and seen.scripts == 1
    assert any("boom" in e for e in seen.errors) and any("undefined_function" in e for e in seen.errors)
    assert any("ERR_FILE_NOT_FOUND" in e for e in seen.errors)
    quiet = browser.view(page, javascript=False)
    assert not any("boom" in e for e in quiet.errors)  # with scripts off the script never ran
    assert seen.screenshot.startswith(b"\x89PNG")


def test_grading_never_imports_copydetect():
    """copydetect is an instructor tool: the grader an LMS container runs must not need it."""
    import subprocess
    import sys

    modules = "autograder.trusted.grader.bulk, autograder.trusted.report.report"
    code = f"import sys, {modules}; print('copydetect' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "False", run.stderr


def test_without_chromium_the_screenshot_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-chromium"))
    (tmp_path / "page.html").write_text("<h1>x</h1>")
    said = browser.screenshot(tmp_path / "page.html", tmp_path / "page.png")
    assert (
        said.startswith("no screenshot of page.html: Chromium could not be started")
        and not (tmp_path / "page.png").exists()
    )
