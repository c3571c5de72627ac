"""`python -m autograder demo` end to end, as an instructor meets it: the report, its CSV files, and the pages
in a real headless Chromium (what a person sees: every section heading, plots of non-zero size, no console
error, the same page with JavaScript off). About a minute: the demo grades seven submissions, then one again.
"""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.shared.paths import REPO_ROOT
from autograder.trusted.report import browser, report

PAIR = {"near-copy", "original"}  # the demo class's planted near-copy pair


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out" / "demo"
    command = [sys.executable, "-m", "autograder", "demo", "--out", str(out)]
    run = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    return out


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open()))


def need_copydetect() -> None:
    reason = "copydetect is an instructor tool: pip install -r requirements/instructor.txt"
    pytest.importorskip("copydetect", reason=reason)


def test_similarity_names_the_near_copy_pair(demo):
    need_copydetect()
    flagged = [{r["submission_a"], r["submission_b"]} for r in rows(demo / "similarity.csv") if r["flagged"]]
    assert PAIR in flagged
    page = (demo / "report.html").read_text()
    section = page.split(report.SECTIONS["similarity"], 1)[1]
    assert "near-copy &amp; original" in section.split("<h2>", 1)[0]
    assert "near-copy and original" in (demo / "similarity.html").read_text()


def test_the_resubmission_shows_as_a_regrade(demo):
    changed = {r["submission"]: r for r in rows(demo / "regrade.csv")}
    assert set(changed) == {"partial"}
    assert float(changed["partial"]["score_after"]) > float(changed["partial"]["score_before"])
    assert "softmax" in changed["partial"]["tests_changed"]
    previous = {r["submission"]: r["score"] for r in rows(demo / "grades.previous.csv")}
    assert previous["partial"] == changed["partial"]["score_before"]
    page = (demo / "report.html").read_text()
    assert report.SECTIONS["regrade"] in page and "partial" in page.split(report.SECTIONS["regrade"], 1)[1]


def test_common_mistakes_group_the_class_failures(demo):
    groups = rows(demo / "common_mistakes.csv")
    kinds = {(g["api"], g["kind"]) for g in groups}
    assert ("cross_entropy", "not_implemented") in kinds  # the partial learner's unfinished losses
    assert any(kind == "timeout" for _, kind in kinds)  # the hostile one's endless loop
    assert all(g["submission_ids"] for g in groups)
    assert report.SECTIONS["mistakes"] in (demo / "report.html").read_text()


def _expected_headings(page: str) -> list[str]:
    from autograder.trusted.report import similarity

    if page == "report":
        return ["Class report"] + [title for key, title in report.SECTIONS.items() if key != "not_graded"]
    return ["Code similarity", *similarity.SECTIONS]


@pytest.mark.parametrize("page", ["report", "similarity"])
def test_what_a_person_sees_in_chromium(demo, page):
    if not browser.find_chromium():
        pytest.skip("Chromium is not installed (make browser, or apt-get install -y chromium): no browser check")
    if page == "similarity":
        need_copydetect()
    html = demo / f"{page}.html"
    seen = browser.view(html)
    missing = [h for h in _expected_headings(page) if not any(s.startswith(h) for s in seen.headings)]
    assert not missing, f"{page}.html lacks the sections {missing}; it shows {seen.headings}"
    assert seen.plots and all(w > 0 and h > 0 for w, h in seen.plots), seen.plots
    assert max(h for _, h in seen.plots) > 100  # the histogram, not only the thin rate bars
    assert not seen.errors, seen.errors
    assert seen.scripts == 0  # nothing needs JavaScript ...
    off = browser.view(html, javascript=False)  # ... and the page reads the same without it
    assert (off.headings, off.plots, off.errors) == (seen.headings, seen.plots, [])
    shot = demo / f"{page}.png"  # the demo's own screenshot, for an instructor to look at first
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_the_notebook_learner_earns_full_part1_marks_and_hears_of_each_failed_cell(demo):
    grades = {r["submission"]: r for r in rows(demo / "grades.csv")}
    perfect, notebook = grades["perfect"], grades["notebook"]
    assert float(notebook["part1"]) == float(perfect["part1"]) > 0, (notebook, perfect)
    feedback = (demo / "notebook" / "feedback.md").read_text()
    for cause in ("/content/drive", "my_helper", "frobnicate", "EOFError"):
        assert cause in feedback, f"the failed cell with {cause} is not named: {feedback[:2000]}"
