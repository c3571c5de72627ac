"""The files grading writes, each written atomically: results.json (Gradescope), feedback.md, grades.csv."""

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from autograder.shared.api import PARTS
from autograder.shared.feedback import EXERCISE_KINDS, label
from autograder.trusted.grader.results import SubmissionResult
from autograder.trusted.harness.scoring import visibility


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file next to ``path`` and rename it: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def gradescope_json(result: SubmissionResult, hidden_visibility: str = "visible") -> str:
    """Gradescope's results.json schema: score, tests[] with name, score, max_score, output, visibility.

    ``extra_data`` carries each test's verdict as data (``kind``, the test's ``key``, its ``api``);
    ``hidden_visibility`` is the Gradescope visibility of the hidden tests (public ones are always visible).
    """
    body = {
        "score": result.score,
        "output": _summary_text(result),
        "tests": [
            {
                "name": t.name,
                "score": t.score,
                "max_score": t.max_score,
                "output": t.output,
                "visibility": visibility(t.suite, hidden_visibility),
                "tags": [t.api, f"part{t.part}", t.suite],
                "extra_data": {"kind": t.kind, "key": t.key, "api": t.api},
            }
            for t in result.tests
        ],
    }
    return json.dumps(body, indent=2)


def _summary_text(result: SubmissionResult) -> str:
    lines = [f"Score: {result.score:g} / {result.max_score:g}"]
    if result.error:
        lines.append(f"This submission could not be graded: {result.error}")
    lines += result.notes
    return "\n".join(lines)


def feedback_markdown(result: SubmissionResult) -> str:
    """The learner's readable report: the same hints ``make test`` gives, grouped by part and API."""
    out = [f"# Feedback for {result.submission}", "", f"**Score: {result.score:g} / {result.max_score:g}**", ""]
    if result.error:
        out += [f"This submission could not be graded: {result.error}", ""]
    if result.notes:
        out += ["## Notes", ""] + [f"- {note}" for note in result.notes] + [""]
    for number, part in PARTS.items():
        tests = [t for t in result.tests if t.part == number]
        if not tests:
            continue
        score, top = result.parts.get(number, (0.0, 0.0))
        out += [
            f"## Part {number}: {part.title} ({score:g} / {top:g})",
            "",
            "| API | passed | points |",
            "|---|---|---|",
        ]
        for api in part.api_names:
            group = [t for t in tests if t.api == api]
            if group:
                passed = sum(t.status == "passed" for t in group)
                points = sum(t.score for t in group), sum(t.max_score for t in group)
                out.append(f"| `{api}` | {passed}/{len(group)} | {points[0]:g} / {points[1]:g} |")
        failing = [t for t in tests if t.status == "failed"]
        if failing:
            out += ["", "What to fix:", ""]
            # One line per exercise whose verdict covers all of it (not implemented yet, a forbidden call).
            whole: dict[str, list] = {}
            for t in failing:
                if t.kind in EXERCISE_KINDS:
                    whole.setdefault(t.api, []).append(t)
                    continue
                hint = t.output.replace("\n", "\n  ")
                out.append(f"- **{t.name}** ({t.max_score - t.score:g} pts lost, {label(t.kind)})\n  {hint}")
            for api, group in whole.items():
                lost = sum(t.max_score - t.score for t in group)
                waiting = "pts waiting" if group[0].kind == "not_implemented" else "pts lost"
                out.append(f"- `{api}`: {group[0].output.splitlines()[0]} ({lost:g} {waiting}, {label(group[0].kind)})")
        out.append("")
    return "\n".join(out)


def grades_csv(results: list[SubmissionResult]) -> str:
    """One row per submission: submission, score, max_score, one column per part, and a note."""
    parts = sorted({n for r in results for n in r.parts} or PARTS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "score", "max_score", *[f"part{n}" for n in parts], "note"])
    for r in results:
        row = [r.submission, f"{r.score:g}", f"{r.max_score:g}"]
        row += [f"{r.parts.get(n, (0.0, 0.0))[0]:g}" for n in parts]
        writer.writerow([*row, r.error])
    return buffer.getvalue()
