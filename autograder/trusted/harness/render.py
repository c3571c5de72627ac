"""Every view of a ``SubmissionResult``: the score table ``make test`` prints, feedback.md and results.json.

Trusted side. One result object, built by ``make test`` and by grading alike
(``results.py``), rendered here only. It lives in the harness because the
learner's release ships the harness (the score table and ``--results-json``)
and not the grader.
"""

from collections import defaultdict

from autograder.shared.api import PARTS
from autograder.shared.feedback import EXERCISE_KINDS, label
from autograder.trusted.harness.results import ScoredTest, SubmissionResult
from autograder.trusted.harness.scoring import totals, visibility


def _fmt(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.2f}"


def _by_api(tests: tuple[ScoredTest, ...]) -> dict[str, list[ScoredTest]]:
    apis: dict[str, list[ScoredTest]] = defaultdict(list)
    for t in tests:
        apis[t.api].append(t)
    return apis


def exercise_verdicts(failing: list[ScoredTest]) -> dict[str, ScoredTest]:
    """API -> its first failing test whose verdict speaks for the whole exercise (not implemented, forbidden call)."""
    whole: dict[str, ScoredTest] = {}
    for t in failing:
        if t.kind in EXERCISE_KINDS and t.api not in whole:
            whole[t.api] = t
    return whole


def _waiting(kind: str) -> str:
    return "pts waiting" if kind == "not_implemented" else "pts lost"


def _hint_lines(test: ScoredTest) -> list[str]:
    devices = [o.variant for o in test.failures if o.variant]
    on = f" [{', '.join(devices)}]" if devices else ""
    lines = [f"  x {test.name}  ({_fmt(test.points - test.score)} pts lost, {label(test.kind)}){on}"]
    lines += [f"      {line}" for line in test.output.splitlines()]
    return lines


def score_table(result: SubmissionResult) -> str:
    """The score table a learner reads after ``make test``."""
    out: list[str] = []
    apis = _by_api(result.tests)
    for part in PARTS.values():
        names = [n for n in part.api_names if n in apis]
        if not names:
            continue
        out.append(f"Part {part.number}: {part.title}")
        out.append(f"  {'API':<24}{'tests':>9}{'points':>13}")
        for name in names:
            group = apis[name]
            passed = sum(t.passed for t in group)
            ran = sum(t.ran for t in group)
            score, max_score = totals(group)
            mark = "ok" if passed == ran and ran else "  "
            out.append(f"{mark} {name:<24}{passed:>4}/{ran:<4}{_fmt(score):>7}/{_fmt(max_score):<5}")
        out.append("")
    failing = [t for t in result.tests if t.status == "failed"]
    if failing:
        out.append("What to fix (first failure of each test; hints are suggestions, not verdicts):")
        whole = exercise_verdicts(failing)
        for api, first in whole.items():
            lost = sum(t.points - t.score for t in apis[api])
            out.append(f"  - {first.failures[0].summary} ({_fmt(lost)} {_waiting(first.kind)})")
        for t in failing:
            if t.api not in whole:
                out.extend(_hint_lines(t))
        out.append("")
    skipped = sorted({o.variant for t in result.tests for o in t.outcomes if o.status == "skipped" and o.variant})
    if skipped:
        out.append(f"Skipped (device not available here): {', '.join(skipped)}")
    score, max_score = totals(list(result.tests))
    out.append(f"Score: {_fmt(score)} / {_fmt(max_score)}")
    return "\n".join(out)


def _summary_text(result: SubmissionResult) -> str:
    lines = [f"Score: {result.score:g} / {result.max_score:g}"]
    if result.error:
        lines.append(f"This submission could not be graded: {result.error}")
    lines += result.notes
    return "\n".join(lines)


def gradescope_results(
    result: SubmissionResult, hidden_visibility: str = "visible", layers: dict[str, str] | None = None
) -> dict:
    """Gradescope's results.json: one entry per test, hints in ``output``, the verdict as data in ``extra_data``.

    Each test's ``extra_data`` holds its ``kind``, ``key`` (the test function, so a line leads back to
    its test) and ``api``; ``hidden_visibility`` is the Gradescope visibility of the hidden tests (public
    ones are always visible); ``layers``, the sandbox layers that were active, go under the top-level
    ``extra_data`` (kept by Gradescope, not shown).
    """
    body: dict = {
        "score": result.score,
        "output": _summary_text(result),
        "tests": [
            {
                "name": t.name,
                "score": round(t.score, 4),
                "max_score": t.max_score,
                "output": t.output,
                "visibility": visibility(t.suite, hidden_visibility),
                "tags": [t.api, f"part{t.part}", t.suite],
                "extra_data": {"kind": t.kind, "key": t.key, "api": t.api},
            }
            for t in result.tests
        ],
    }
    if layers is not None:
        body["extra_data"] = {"sandbox_layers": dict(sorted(layers.items()))}
    return body


def feedback_markdown(result: SubmissionResult) -> str:
    """The learner's readable report: the same hints ``make test`` gives, grouped by part and API."""
    out = [f"# Feedback for {result.submission}", "", f"**Score: {result.score:g} / {result.max_score:g}**", ""]
    if result.error:
        out += [f"This submission could not be graded: {result.error}", ""]
    if result.notes:
        out += ["## Notes", ""] + [f"- {note}" for note in result.notes] + [""]
    parts = result.parts
    for number, part in PARTS.items():
        tests = [t for t in result.tests if t.part == number]
        if not tests:
            continue
        score, top = parts.get(number, (0.0, 0.0))
        out += [
            f"## Part {number}: {part.title} ({score:g} / {top:g})",
            "",
            "| API | passed | points |",
            "|---|---|---|",
        ]
        apis = _by_api(tuple(tests))
        for api in part.api_names:
            if api in apis:
                group = apis[api]
                passed = sum(t.passed for t in group)
                points = totals(group)
                out.append(f"| `{api}` | {passed}/{len(group)} | {points[0]:g} / {points[1]:g} |")
        failing = [t for t in tests if t.status == "failed"]
        if failing:
            out += ["", "What to fix:", ""]
            # One line per exercise whose verdict covers all of it (not implemented yet, a forbidden call).
            whole: dict[str, list[ScoredTest]] = {}
            for t in failing:
                if t.kind in EXERCISE_KINDS:
                    whole.setdefault(t.api, []).append(t)
                    continue
                hint = t.output.replace("\n", "\n  ")
                out.append(f"- **{t.name}** ({t.max_score - t.score:g} pts lost, {label(t.kind)})\n  {hint}")
            for api, group in whole.items():
                lost = sum(t.max_score - t.score for t in group)
                kind = group[0].kind
                out.append(f"- `{api}`: {group[0].output.splitlines()[0]} ({lost:g} {_waiting(kind)}, {label(kind)})")
        out.append("")
    return "\n".join(out)
