"""From test outcomes to a score: points per test, a table per API, and Gradescope's results.json.

A graded test may run once per device (cpu, cuda, mps). Its points are shared
equally among the device runs that actually ran, so the maximum score is the same
on a laptop and on a GPU machine, and a test that fails on one device loses only
that device's share.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from .api import PARTS


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
    summary: str = ""  # the hint: safe to show for any suite
    detail: str = ""  # values: shown for public tests only


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


def group(outcomes: list[Outcome]) -> list[GradedTest]:
    tests: dict[str, GradedTest] = {}
    for o in outcomes:
        test = tests.setdefault(o.key, GradedTest(o.key, o.name, o.api, o.points, o.suite))
        test.outcomes.append(o)
    return list(tests.values())


def totals(tests: list[GradedTest]) -> tuple[float, float]:
    return sum(t.score for t in tests), sum(t.max_score for t in tests)


def _fmt(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.2f}"


def _hint_lines(test: GradedTest, show_detail: bool) -> list[str]:
    first = test.failures[0]
    devices = [o.variant for o in test.failures if o.variant]
    on = f" [{', '.join(devices)}]" if devices else ""
    lines = [f"  x {test.name}  ({_fmt(test.points - test.score)} pts lost){on}"]
    body = first.summary + ("\n" + first.detail if show_detail and first.detail else "")
    lines += [f"      {line}" for line in body.splitlines()]
    return lines


def render(tests: list[GradedTest], show_detail: bool = True) -> str:
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
        unimplemented = {t.api for t in failing if "not implemented yet" in t.failures[0].summary}
        for api in sorted(unimplemented, key=list(apis).index):
            lost = sum(t.points - t.score for t in apis[api])
            reason = next(t.failures[0].summary for t in apis[api] if t.failures)
            out.append(f"  - {reason} ({_fmt(lost)} pts waiting)")
        for t in failing:
            if t.api not in unimplemented:
                out.extend(_hint_lines(t, show_detail))
        out.append("")
    skipped = sorted({o.variant for t in tests for o in t.outcomes if o.status == "skipped" and o.variant})
    if skipped:
        out.append(f"Skipped (device not available here): {', '.join(skipped)}")
    score, max_score = totals(tests)
    out.append(f"Score: {_fmt(score)} / {_fmt(max_score)}")
    return "\n".join(out)


def output_text(test: GradedTest, hidden_detail: bool = False) -> str:
    """What a test's result says: its first hint, with values only for public tests (unless ``hidden_detail``)."""
    if test.failures:
        first = test.failures[0]
        show = test.suite == "public" or hidden_detail  # hidden values would leak hidden inputs and reference outputs
        return first.summary + ("\n" + first.detail if show and first.detail else "")
    if not test.ran:
        return "skipped: " + (test.outcomes[0].summary if test.outcomes else "")
    return "passed"


def gradescope_results(tests: list[GradedTest], hidden_detail: bool = False) -> dict:
    """Gradescope's results.json: one entry per test, hints in ``output``."""
    entries = []
    for t in tests:
        output = output_text(t, hidden_detail)
        entries.append(
            {
                "name": t.name,
                "score": round(t.score, 4),
                "max_score": t.max_score,
                "output": output,
                "visibility": "visible",
                "tags": [t.api, t.suite],
            }
        )
    score, _ = totals(tests)
    return {"score": round(score, 4), "tests": entries}
