"""From test outcomes to scored tests: points per test, one verdict per exercise. Trusted side.

A graded test may run once per device (cpu, cuda, mps). Its points are shared
equally among the device runs that actually ran, so the maximum score is the same
on a laptop and on a GPU machine, and a test that fails on one device loses only
that device's share.

One verdict per exercise: a forbidden call in any test of an API voids every
test of that API, with the same one-line reason (``void_forbidden``). What each
suite may show of a failure is decided by ``feedback.shows_values``.
"""

from dataclasses import replace

from autograder.shared.feedback import shows_values
from autograder.trusted.harness.results import Outcome, ScoredTest

# Gradescope's visibility settings for a test; instructors choose the hidden tests' one.
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


def scored_tests(outcomes: list[Outcome]) -> list[ScoredTest]:
    """Every test of these runs, scored, in the order they first ran."""
    runs: dict[str, list[Outcome]] = {}
    for o in void_forbidden(outcomes):
        runs.setdefault(o.key, []).append(o)
    return [scored_test(test_runs) for test_runs in runs.values()]


def scored_test(runs: list[Outcome]) -> ScoredTest:
    """One test from its runs (one per device): its share of points per run that passed, its first hint."""
    first = runs[0]
    ran = [o for o in runs if o.status != "skipped"]
    failures = [o for o in runs if o.status == "failed"]
    shown = shows_values(first.suite)
    if failures:
        status, kind = "failed", failures[0].kind or "wrong_value"
        output = failures[0].text(shown)
    elif ran:
        status, kind, output = "passed", "passed", "passed"
    else:
        status, kind, output = "skipped", "skipped", "skipped: " + first.summary
    score = first.points * sum(o.status == "passed" for o in ran) / len(ran) if ran else 0.0
    # The runs are kept (the device of each failure, its summary), but a hidden test's evidence is not: the result
    # is pickled, saved in the grading state next to feedback.md, and must hold nothing the learner may not see.
    kept = tuple(runs) if shown else tuple(replace(o, values="") for o in runs)
    return ScoredTest(first.key, first.name, first.api, first.suite, first.points, status, score, kind, output, kept)


def void_forbidden(outcomes: list[Outcome]) -> list[Outcome]:
    """A forbidden call anywhere in an API's tests costs every test of that API, with the same reason.

    The contract: using a forbidden call for what an exercise asks earns no
    credit for the exercise, so a test that never reached the call (a structure
    check, a shape check) loses its points too. Device runs that were skipped
    stay skipped: the maximum score does not change.
    """
    reasons: dict[str, Outcome] = {}
    for o in outcomes:
        if o.kind == "forbidden_call":
            reasons.setdefault(o.api, o)
    voided = []
    for o in outcomes:
        reason = reasons.get(o.api)
        if reason is not None and o.status != "skipped":
            o = replace(o, status="failed", kind=reason.kind, summary=reason.summary, cause=reason.cause, values="")
        voided.append(o)
    return voided


def totals(tests: list[ScoredTest]) -> tuple[float, float]:
    return sum(t.score for t in tests), sum(t.max_score for t in tests)


def visibility(suite: str, hidden_visibility: str = "visible") -> str:
    """A test's Gradescope visibility: public tests always visible, hidden ones as the instructor chose."""
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"unknown Gradescope visibility {hidden_visibility!r}; choose one of {VISIBILITIES}")
    return "visible" if suite == "public" else hidden_visibility
