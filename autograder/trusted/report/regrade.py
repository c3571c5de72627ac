"""What a regrade changed: the same OUT graded again (--regrade, a fixed test, a resubmission), before and after.

Every complete run writes grades.csv (one row per submission) and tests.csv (one row
per submission and test). When the next run on the same OUT starts, both are kept as
grades.previous.csv and tests.previous.csv, and read back to compare: regrade.csv and
the report then say who changed, from what, to what, on which tests, and how the class
mean moved. An interrupted run leaves grades.csv and tests.csv as they were, so the
comparison is always with the last complete run.
"""

import csv
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from autograder.trusted.harness.results import SubmissionResult

GRADES, TESTS = "grades.csv", "tests.csv"


@dataclass
class Previous:
    scores: dict[str, float]  # submission -> score
    tests: dict[str, dict[str, float]]  # submission -> test name -> score


@dataclass
class Change:
    submission: str
    before: float | None  # None: not in the previous run
    after: float | None  # None: not in this run
    tests: list[tuple[str, float | None, float | None]] = field(default_factory=list)


@dataclass
class Regrade:
    changes: list[Change]
    mean_before: float
    mean_after: float
    unchanged: int


def keep_previous(out: Path) -> Previous | None:
    """Copy the last complete run's grades.csv and tests.csv to *.previous.csv and read them (None: first run)."""
    grades = out / GRADES
    if not grades.is_file():
        return None
    shutil.copyfile(grades, out / "grades.previous.csv")
    scores = {row["submission"]: float(row["score"]) for row in csv.DictReader(grades.open())}
    tests: dict[str, dict[str, float]] = {}
    if (out / TESTS).is_file():
        shutil.copyfile(out / TESTS, out / "tests.previous.csv")
        for row in csv.DictReader((out / TESTS).open()):
            tests.setdefault(row["submission"], {})[row["test"]] = float(row["score"])
    return Previous(scores, tests)


def tests_csv(results: list[SubmissionResult]) -> str:
    """tests.csv: one row per submission and test, with the verdict kind (for spreadsheets and the next regrade)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "part", "api", "test", "suite", "score", "max_score", "kind"])
    for r in results:
        for t in r.tests:
            row = [r.submission, t.part, t.api, t.name, t.suite, f"{t.score:g}", f"{t.max_score:g}", t.kind]
            writer.writerow(row)
    return buffer.getvalue()


def compare(previous: Previous, results: list[SubmissionResult]) -> Regrade:
    """Who changed, from what to what, on which tests; the class mean (every row of grades.csv) before and after."""
    now = {r.submission: r for r in results}
    changes, unchanged = [], 0
    for submission in list(previous.scores) + [s for s in now if s not in previous.scores]:
        before = previous.scores.get(submission)
        result = now.get(submission)
        after = result.score if result else None
        if before is not None and after is not None and abs(before - after) < 1e-9:
            unchanged += 1
            continue
        old_tests = previous.tests.get(submission, {})
        new_tests = {t.name: t.score for t in result.tests} if result else {}
        moved = [
            (name, old_tests.get(name), new_tests.get(name))
            for name in list(old_tests) + [n for n in new_tests if n not in old_tests]
            if old_tests.get(name) != new_tests.get(name)
        ]
        changes.append(Change(submission, before, after, moved))
    mean_before = sum(previous.scores.values()) / len(previous.scores) if previous.scores else 0.0
    mean_after = sum(r.score for r in results) / len(results) if results else 0.0
    return Regrade(changes, mean_before, mean_after, unchanged)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def describe_test(name: str, before: float | None, after: float | None) -> str:
    """'softmax: large logits stay finite 0 -> 2' (a missing side shows as 'absent')."""
    return f"{name} {_number(before) or 'absent'} -> {_number(after) or 'absent'}"


def regrade_csv(regrade: Regrade) -> str:
    """regrade.csv: one row per learner whose score changed, and the tests that changed it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "score_before", "score_after", "change", "tests_changed"])
    for c in regrade.changes:
        delta = (c.after or 0.0) - (c.before or 0.0)
        tests = "; ".join(describe_test(*t) for t in c.tests)
        writer.writerow([c.submission, _number(c.before), _number(c.after), f"{delta:+g}", tests])
    return buffer.getvalue()
