"""Command line of the course package: ``python -m autograder test [--part N] [--device D]``.

``test`` runs the public tests (``--suite all`` adds the hidden ones) against
the learner's files in ``assignments/`` (or ``--impl reference``/a folder) and
prints the score table; it exits non-zero until every test passes.
"""

import argparse
import sys

from autograder.harness.api import PARTS
from autograder.harness.run import main as run_pytest
from autograder.harness.run import pytest_args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    test = commands.add_parser("test", help="run the tests and print the score table")
    test.add_argument("--part", type=int, action="append", choices=sorted(PARTS), help="part number (repeatable)")
    test.add_argument("--device", default="all", help="cpu, cuda, mps or all")
    test.add_argument("--impl", default="assignments", help="assignments, reference, or a folder")
    test.add_argument("--suite", default="public", choices=["public", "hidden", "all"])
    test.add_argument("--api", action="append", default=[], help="only these API names (repeatable)")
    test.add_argument("--results-json", default=None)
    args = parser.parse_args(argv)

    suites = ("public", "hidden") if args.suite == "all" else (args.suite,)
    extra = ["--impl", args.impl]
    if args.results_json:
        extra += ["--results-json", args.results_json]
    return run_pytest(pytest_args(args.part or sorted(PARTS), suites, device=args.device, apis=args.api, extra=extra))


if __name__ == "__main__":
    sys.exit(main())
