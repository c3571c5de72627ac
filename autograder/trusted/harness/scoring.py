"""From test outcomes to a score: points per test, a table per API, and Gradescope's results.json.

A graded test may run once per device (cpu, cuda, mps). Its points are shared
equally among the device runs that actually ran, so the maximum score is the same
on a laptop and on a GPU machine, and a test that fails on one device loses only
that device's share.

One verdict per exercise: a forbidden call in any test of an API voids every
test of that API, with the same one-line reason (``group``). What each suite may
show of a failure is decided by ``feedback.shows_values``.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from autograder.shared.api import PARTS
from autograder.shared.feedback import EXERCISE_KINDS, hint_text, label, shows_values

# Gradescope's visibility settings for a test; instructors choose the hidden tests' one.
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


@dataclass
class Outcome:
    """One run of one test (one device parametrisation)."""

    key: str  # the test function, without its parametrisation
    name: str  # display name, 'softmax: large logits stay finite'
    api: str
    points: float
    suite: str  # 'public' or 'hidden'
    status: str  # 'passed', 'failed' or 'skipped'
    variant: str = ""  # the parametrisation, e.g. 'cpu'
    kind: str = ""  # one of feedback.KINDS
    summary: str = ""  # what failed, value-free: shown for any suite
    cause: str = ""  # the likely cause: shown for any suite
    values: str = ""  # the evidence: shown only where feedback.shows_values(suite)

    def text(self, show_values: bool) -> str:
        return hint_text(self.summary, self.cause, self.values, show_values=show_values)

    @property
    def hint(self) -> str:
        """The whole hint, values included, as a public test shows it."""
        return self.text(show_values=True)


@dataclass
class GradedTest:
    """All runs of one test function, scored together."""

    key: str
    name: str
    api: str
    points: float
    suite: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ran(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != "skipped"]

    @property
    def max_score(self) -> float:
        return self.points if self.ran else 0.0

    @property
    def score(self) -> float:
        ran = self.ran
        if not ran:
            return 0.0
        return self.points * sum(o.status == "passed" for o in ran) / len(ran)

    @property
    def passed(self) -> bool:
        return bool(self.ran) and all(o.status == "passed" for o in self.ran)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def kind(self) -> str:
        """The test's verdict as data: its first failure's kind, else passed or skipped."""
        if self.failures:
            return self.failures[0].kind or "wrong_value"
        return "passed" if self.ran else "skipped"

    def text(self) -> str:
        """What the learner reads for this test: its first hint, values only where its suite may show them."""
        if self.failures:
            return self.failures[0].text(shows_values(self.suite))
        if not self.ran:
            return "skipped: " + (self.outcomes[0].summary if self.outcomes else "")
        return "passed"


def group(outcomes: list[Outcome]) -> list[GradedTest]:
    tests: dict[str, GradedTest] = {}
    for o in outcomes:
        test = tests.setdefault(o.key, GradedTest(o.key, o.name, o.api, o.points, o.suite))
        test.outcomes.append(o)
    return void_forbidden(list(tests.values()))


def void_forbidden(tests: list[GradedTest]) -> list[GradedTest]:
    """A forbidden call anywhere in an API's tests costs every test of that API, with the same reason.

    The contract: using a forbidden call for what an exercise asks earns no
    credit for the exercise, so a test that never reached the call (a structure
    check, a shape check) loses its points too. Device runs that were skipped
    stay skipped: the maximum score does not change.
    """
    reasons: dict[str, Outcome] = {}
    for test in tests:
        for o in test.outcomes:
            if o.kind == "forbidden_call":
                reasons.setdefault(test.api, o)
    for test in tests:
        reason = reasons.get(test.api)
        if reason is None:
            continue
        test.outcomes = [
            o
            if o.status == "skipped"
            else replace(o, status="failed", kind=reason.kind, summary=reason.summary, cause=reason.cause, values="")
            for o in test.outcomes
        ]
    return tests


def totals(tests: list[GradedTest]) -> tuple[float, float]:
    return sum(t.score for t in tests), sum(t.max_score for t in tests)


def _fmt(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.2f}"


def _hint_lines(test: GradedTest) -> list[str]:
    devices = [o.variant for o in test.failures if o.variant]
    on = f" [{', '.join(devices)}]" if devices else ""
    lines = [f"  x {test.name}  ({_fmt(test.points - test.score)} pts lost, {label(test.kind)}){on}"]
    lines += [f"      {line}" for line in test.text().splitlines()]
    return lines


def render(tests: list[GradedTest]) -> str:
    """The score table a learner reads after ``make test``."""
    out: list[str] = []
    apis: dict[str, list[GradedTest]] = defaultdict(list)
    for t in tests:
        apis[t.api].append(t)
    for part in PARTS.values():
        names = [n for n in part.api_names if n in apis]
        if not names:
            continue
        out.append(f"Part {part.number}: {part.title}")
        out.append(f"  {'API':<24}{'tests':>9}{'points':>13}")
        for name in names:
            group_ = apis[name]
            passed = sum(t.passed for t in group_)
            ran = sum(bool(t.ran) for t in group_)
            score, max_score = totals(group_)
            mark = "ok" if passed == ran and ran else "  "
            out.append(f"{mark} {name:<24}{passed:>4}/{ran:<4}{_fmt(score):>7}/{_fmt(max_score):<5}")
        out.append("")
    failing = [t for t in tests if t.failures]
    if failing:
        out.append("What to fix (first failure of each test; hints are suggestions, not verdicts):")
        whole = exercise_verdicts(failing)
        for api, first in whole.items():
            lost = sum(t.points - t.score for t in apis[api])
            waiting = "pts waiting" if first.kind == "not_implemented" else "pts lost"
            out.append(f"  - {first.summary} ({_fmt(lost)} {waiting})")
        for t in failing:
            if t.api not in whole:
                out.extend(_hint_lines(t))
        out.append("")
    skipped = sorted({o.variant for t in tests for o in t.outcomes if o.status == "skipped" and o.variant})
    if skipped:
        out.append(f"Skipped (device not available here): {', '.join(skipped)}")
    score, max_score = totals(tests)
    out.append(f"Score: {_fmt(score)} / {_fmt(max_score)}")
    return "\n".join(out)


def exercise_verdicts(failing: list[GradedTest]) -> dict[str, Outcome]:
    """API -> the one failure that speaks for the whole exercise (not implemented, forbidden call), in order."""
    whole: dict[str, Outcome] = {}
    for t in failing:
        if t.kind in EXERCISE_KINDS and t.api not in whole:
            whole[t.api] = t.failures[0]
    return whole


def gradescope_results(tests: list[GradedTest], hidden_visibility: str = "visible") -> dict:
    """Gradescope's results.json: one entry per test, hints in ``output``, the verdict as data in ``extra_data``."""
    entries = []
    for t in tests:
        entries.append(
            {
                "name": t.name,
                "score": round(t.score, 4),
                "max_score": t.max_score,
                "output": t.text(),
                "visibility": visibility(t.suite, hidden_visibility),
                "tags": [t.api, t.suite],
                "extra_data": {"kind": t.kind, "key": t.key, "api": t.api},
            }
        )
    score, _ = totals(tests)
    return {"score": round(score, 4), "tests": entries}


def visibility(suite: str, hidden_visibility: str = "visible") -> str:
    """A test's Gradescope visibility: public tests always visible, hidden ones as the instructor chose."""
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"unknown Gradescope visibility {hidden_visibility!r}; choose one of {VISIBILITIES}")
    return "visible" if suite == "public" else hidden_visibility
