"""Writing grading's files atomically, and grades.csv (one row per submission). Trusted side.

results.json and feedback.md are rendered by ``harness/render.py`` and written with ``write_atomically``.
"""

import csv
import io
import os
import tempfile
from pathlib import Path

from autograder.shared.api import PARTS
from autograder.trusted.harness.results import SubmissionResult


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
