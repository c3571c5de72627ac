"""Command line of the course package: ``python -m autograder test [--part N] [--device D]``.

``test`` runs the public tests (``--suite all`` adds the hidden ones) against
the learner's files in ``assignments/`` (or ``--impl reference``/a folder) and
prints the score table; it exits non-zero until every test passes.
"""

import argparse
import sys
from pathlib import Path

from autograder.shared.api import PARTS
from autograder.trusted.harness.run import main as run_pytest
from autograder.trusted.harness.run import pytest_args
from autograder.trusted.harness.scoring import VISIBILITIES


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
    grade = commands.add_parser("grade", help="grade a class export in the sandbox and write every result file")
    grade.add_argument("submissions", type=Path, help="a folder or zip: one entry per submission, or an LMS export")
    grade.add_argument("out", type=Path, help="where grades.csv, report.html and one folder per submission go")
    grade.add_argument("--jobs", type=int, default=None, help="parallel graders (default: one per core)")
    grade.add_argument("--regrade", action="store_true", help="grade again even what was already graded")
    grade.add_argument("--device", default="cpu", help="cpu, cuda, mps or all")
    grade.add_argument("--call-timeout", type=float, default=30.0, help="seconds one call into learner code may take")
    grade.add_argument("--notebook-budget", type=float, default=20.0,
                       help="seconds of top-level work (training, plots) each submitted notebook may run")  # fmt: skip
    grade.add_argument("--canvas-gradebook", type=Path, help="the Canvas gradebook export to fill in")
    grade.add_argument("--moodle-worksheet", type=Path, help="the Moodle grading worksheet to fill in")
    grade.add_argument("--part", type=int, action="append", choices=sorted(PARTS), help="grade only this part")
    grade.add_argument(
        "--hidden-visibility",
        default="visible",
        choices=VISIBILITIES,
        help="Gradescope visibility of the hidden tests in results.json (default: visible)",
    )
    grade.add_argument(
        "--similarity", action="store_true", help="also compare the submissions' code (similarity.html; copydetect)"
    )
    demo = commands.add_parser(
        "demo", help="grade the bundled example class, then again after one resubmission (report, similarity)"
    )
    demo.add_argument("--out", type=Path, default=Path("out/demo"))
    demo.add_argument("--jobs", type=int, default=None)
    demo.add_argument("--part", type=int, action="append", choices=sorted(PARTS), help="grade only this part")
    args = parser.parse_args(argv)

    if args.command == "demo":
        return run_demo(args.out, args.jobs, args.part)

    if args.command == "grade":
        from autograder.trusted.grader.bulk import grade_class

        try:
            results = grade_class(
                args.submissions, args.out, jobs=args.jobs, regrade=args.regrade, device=args.device,
                call_timeout=args.call_timeout, canvas_gradebook=args.canvas_gradebook,
                moodle_worksheet=args.moodle_worksheet, parts=args.part, hidden_visibility=args.hidden_visibility,
                similarity=args.similarity, notebook_budget=args.notebook_budget,
            )  # fmt: skip
        except KeyboardInterrupt:
            return 130
        for r in results:
            print(f"{r.submission:<30} {r.score:>7g} / {r.max_score:g}  {r.error}")
        print(f"wrote {args.out / 'grades.csv'} and {args.out / 'report.html'}")
        return 0

    suites = ("public", "hidden") if args.suite == "all" else (args.suite,)
    extra = ["-q", "--impl", args.impl]
    if args.results_json:
        extra += ["--results-json", args.results_json]
    return run_pytest(pytest_args(args.part or sorted(PARTS), suites, device=args.device, apis=args.api, extra=extra))


def run_demo(out: Path, jobs: int | None, parts: list[int] | None) -> int:
    """Grade the example class into ``out``, then again after one resubmission; screenshot the pages."""
    from autograder.examples import build_class, resubmit
    from autograder.trusted.report import browser

    export = build_class(out.parent / "demo-class")
    print(f"example class written to {export}: {', '.join(sorted(p.name for p in export.iterdir()))}")
    for earlier in ("grades.csv", "tests.csv"):  # a fresh first run, so the regrade below compares with it
        (out / earlier).unlink(missing_ok=True)
    argv = ["grade", str(export), str(out), "--similarity", "--call-timeout", "5"]
    argv += (["--jobs", str(jobs)] if jobs else []) + [f"--part={n}" for n in parts or []]
    if main([*argv, "--regrade"]):
        return 1
    print(f"\n{resubmit(export)}; grading the same OUT again (only what changed is graded):")
    if main(argv):
        return 1
    for page in ("report", "similarity"):
        print(browser.screenshot(out / f"{page}.html", out / f"{page}.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
