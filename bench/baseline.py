"""The baseline grader: a fresh ``python -m pytest`` over the hidden and public suites per submission, unsandboxed.

Exactly what a plain grader would do, and what the secure grader is compared
with: ``python -m pytest autograder/hidden assignments/*/tests -p
autograder.trusted.harness.plugin --impl <submission>``.
"""

from pathlib import Path

from autograder.shared.api import PARTS
from bench.processes import Measured, python


def command(submission: Path, parts: list[int]) -> list[str]:
    hidden = ["autograder/hidden"] if parts == sorted(PARTS) else [f"autograder/hidden/part{n}" for n in parts]
    public = [f"assignments/part{n}/tests" for n in parts]
    return [
        "-m", "pytest", *hidden, *public, "-p", "autograder.trusted.harness.plugin",
        "--impl", str(submission), "-q", "-p", "no:cacheprovider",
    ]  # fmt: skip


def start_only(submission: Path, parts: list[int]) -> Measured:
    """The same command with ``--collect-only``: the cost of a fresh process, torch and the suites, no test run."""
    return _checked(python(*command(submission, parts), "--collect-only"), "collecting the suites")


def grade(submission: Path, parts: list[int]) -> Measured:
    return _checked(python(*command(submission, parts)), f"the baseline grader on {submission}")


def _checked(measured: Measured, what: str) -> Measured:
    if measured.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{measured.stdout[-3000:]}")
    return measured
