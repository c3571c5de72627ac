"""Generate otter-grader master notebooks from ``solutions/``, and check them with ``otter assign`` / ``otter run``.

    python -m autograder.build.otter_assign build [--part 1] [--api softmax ...]   # dist/otter/master/partN.ipynb
    python -m autograder.build.otter_assign roundtrip [--part 1] [--api ...]      # assign, then run reference and stub

A master notebook holds one otter question per reference file: the file as the
solution cell (our ``# BEGIN SOLUTION`` markers are otter's too; relative
imports dropped, since a notebook is one namespace) and one test case per API
name, worth that API's points. Otter tests are doctests fed the notebook's
variables, so a test case holds no test of its own: it calls ``check_api``,
which runs the course's public and hidden tests of that API on those variables
and fails unless they give full marks.

``otter run`` grades without Docker but, like ``nbgrader autograde``, runs the
learner's code in the grading process; ``otter grade`` needs Docker, and its
generated ``setup.sh`` downloads Miniforge. For untrusted code use the
sandboxed ``python -m autograder grade``.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.build.nbgrader_course import api_points, solution_cell_source
from autograder.build.notebooks import dumps, make_notebook
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT

DEFAULT_OUT = REPO_ROOT / "dist" / "otter"

ASSIGNMENT_CONFIG = """\
# ASSIGNMENT CONFIG
name: part{number}
init_cell: false
check_all_cell: false
export_cell: false
run_tests: false
generate: true
"""

TEST_CASE = 'from autograder.build.notebooks import check_api\ncheck_api(globals(), "{api}")'


def master_notebook(number: int, points: dict[str, float], apis: list[str] | None = None) -> dict:
    """The otter master notebook of one part (only the files that define ``apis``, when given)."""
    part = PARTS[number]
    cells: list[tuple[str, str]] = [
        ("raw", ASSIGNMENT_CONFIG.format(number=number)),
        ("markdown", f"# Part {number}: {part.title}\n\nReplace each `...` with your code. The tests of each "
         "question are the course's public and hidden tests of its functions."),
    ]  # fmt: skip
    for stem, api_names in part.files.items():
        graded = [api for api in api_names if not apis or api in apis]
        if not graded:
            continue
        reference = (REPO_ROOT / "solutions" / part.folder / f"{stem}.py").read_text()
        case_points = ", ".join(f"{points[api]:g}" for api in graded)
        cells.append(("raw", f"# BEGIN QUESTION\nname: {stem}\npoints: [{case_points}]"))
        cells.append(("markdown", f"**{stem}.py**: {', '.join(f'`{api}`' for api in api_names)}"))
        source = solution_cell_source(reference).replace("### BEGIN", "# BEGIN").replace("### END", "# END")
        cells += [("raw", "# BEGIN SOLUTION"), ("code", source), ("raw", "# END SOLUTION")]
        cells.append(("raw", "# BEGIN TESTS"))
        cells.extend(("code", TEST_CASE.format(api=api)) for api in graded)
        cells.append(("raw", "# END TESTS"))
        cells.append(("raw", "# END QUESTION"))
    return make_notebook(cells, f"otter-part{number}")


def build(out: Path = DEFAULT_OUT, parts: list[int] | None = None, apis: list[str] | None = None) -> list[Path]:
    parts = parts or list(PARTS)
    points = api_points(parts)
    written = []
    for number in parts:
        path = out / "master" / f"part{number}" / f"part{number}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(master_notebook(number, points, apis)))
        written.append(path)
    return written


def otter(*args: str, cwd: Path) -> str:
    """Run the otter command line with the course importable (its test cases import ``autograder``)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run([sys.executable, "-m", "otter", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"otter {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done.stdout


def run_submission(autograder_zip: Path, submission: Path, results: Path) -> dict:
    """``otter run`` one submission (no Docker); returns otter's results.json."""
    results.mkdir(parents=True, exist_ok=True)
    otter("run", "-a", str(autograder_zip), "-o", str(results), str(submission), cwd=results)
    return json.loads((results / "results.json").read_text())


def total(results: dict) -> tuple[float, float]:
    tests = results.get("tests", [])
    return sum(t.get("score") or 0.0 for t in tests), sum(t.get("max_score") or 0.0 for t in tests)


def roundtrip(out: Path = DEFAULT_OUT, number: int = 1, apis: list[str] | None = None) -> dict[str, dict]:
    """Build the master, ``otter assign`` it, ``otter run`` the solution and the student notebook."""
    if out.exists():
        shutil.rmtree(out)
    (master,) = build(out, [number], apis)
    assigned = out / "assigned"
    otter("assign", str(master), str(assigned), cwd=master.parent)
    (autograder_zip,) = (assigned / "autograder").glob("*.zip")
    submissions = {"reference": assigned / "autograder" / master.name, "stub": assigned / "student" / master.name}
    return {name: run_submission(autograder_zip, path, out / "results" / name) for name, path in submissions.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "roundtrip"])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--part", type=int, action="append", choices=sorted(PARTS))
    parser.add_argument("--api", action="append", help="only the questions of these APIs (repeatable)")
    args = parser.parse_args(argv)
    if args.command == "build":
        for path in build(args.out, args.part, args.api):
            print(f"wrote {path}")
        return 0
    for number in args.part or [1]:
        for name, results in roundtrip(args.out, number, args.api).items():
            score, top = total(results)
            print(f"part{number} {name}: otter run scored {score:g} / {top:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
