"""Command line of the learner's release: ``python -m autograder test`` runs the public tests on your files.

Written into the release as ``autograder/__main__.py`` by ``autograder/build/release.py``;
``make test`` calls it. It runs the public tests of each part against the files
in ``assignments/`` (or ``--impl FOLDER`` laid out the same way), prints the
score table with a hint per failure, and exits non-zero until every test passes.
``--summary-md FILE`` also appends the score table as Markdown to ``FILE``
(the GitHub workflow points it at ``$GITHUB_STEP_SUMMARY``).
"""

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from autograder.shared.api import PARTS
from autograder.trusted.harness.plugin import graded_tests
from autograder.trusted.harness.run import main as run_pytest
from autograder.trusted.harness.run import pytest_args
from autograder.trusted.harness.scoring import totals


def _points(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.2f}"


def markdown_table(tests) -> str:
    """The score table as Markdown: one row per API, then the first hint of each failing test."""
    by_api = defaultdict(list)
    for test in tests:
        by_api[test.api].append(test)
    score, max_score = totals(tests)
    lines = [f"## Public tests: {_points(score)} / {_points(max_score)}", ""]
    lines += ["| part | API | tests passed | points |", "| --- | --- | --- | --- |"]
    for part in PARTS.values():
        for api in part.api_names:
            group = by_api.get(api)
            if not group:
                continue
            passed = sum(t.passed for t in group)
            ran = sum(t.ran for t in group)
            got, top = totals(group)
            mark = "✅" if ran and passed == ran else "❌"
            lines.append(f"| {part.number} | {mark} `{api}` | {passed}/{ran} | {_points(got)} / {_points(top)} |")
    failing = [t for t in tests if t.status == "failed"]
    if failing:
        lines += ["", "<details><summary>What to fix</summary>", ""]
        for test in failing:
            hint = test.output.replace("\n", " ")
            lines.append(f"- **{test.name}**: {hint}")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


class _MarkdownSummary:
    """pytest plugin: append the Markdown score table to a file when the session ends."""

    def __init__(self, path: Path):
        self.path = path

    def pytest_sessionfinish(self, session):
        tests = graded_tests(session.config)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(markdown_table(tests) if tests else "## Public tests\n\nNo graded test ran.\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    test = commands.add_parser("test", help="run the public tests on your files and print the score table")
    test.add_argument("--part", type=int, action="append", choices=sorted(PARTS), help="part number (repeatable)")
    test.add_argument("--device", default="all", help="cpu, cuda, mps or all (default: every device you have)")
    test.add_argument("--api", action="append", default=[], help="only these API names (repeatable, or a,b,c)")
    test.add_argument("--impl", default="assignments", help="the folder holding your partN/ folders")
    test.add_argument("--results-json", default=None, help="also write the results in Gradescope's format here")
    test.add_argument("--summary-md", type=Path, default=None, help="append the score table as Markdown here")
    args = parser.parse_args(argv)

    apis = [name.strip() for value in args.api for name in value.split(",") if name.strip()]
    extra = ["-q", "--impl", args.impl]
    if args.results_json:
        extra += ["--results-json", args.results_json]
    plugins = [_MarkdownSummary(args.summary_md)] if args.summary_md else []
    arguments = pytest_args(args.part or sorted(PARTS), ["public"], device=args.device, apis=apis, extra=extra)
    return run_pytest(arguments, plugins=plugins)


if __name__ == "__main__":
    sys.exit(main())
