"""Peak memory of grading one submission as the Gradescope bundle does: the trusted grader, its fork server and
the worker, summed (PSS), with the manifest built ahead as the bundle ships it.

Gradescope runs one submission in a container with 768 MB by default.
"""

from pathlib import Path

from bench import secure


def grade_one(export: Path, parts: list[int], manifest_file: Path) -> float:
    """Peak megabytes of grading the one submission in ``export``."""
    return secure.per_submission(export, parts, manifest_file, sample_memory=True)["peak_mb"]
