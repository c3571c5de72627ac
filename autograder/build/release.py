"""Build the learner's release in ``dist/student/`` and prove it holds no solution, hidden test or grader.

    python -m autograder.build.release                 # write dist/student/ (replacing it), then verify it
    python -m autograder.build.release --out DIR       # somewhere else
    python -m autograder.build.release --verify DIR    # only check an existing release for leaks

What goes in is listed here and nowhere else: the stubs, handouts and public
tests (``assignments/``), ``datasets/``, the code ``make test`` runs
(``autograder/shared/``, ``autograder/sandboxed/`` and the test harness
``autograder/trusted/harness/``) and, from ``templates/student/``, a learner
``autograder/__init__.py`` and a ``__main__.py`` that has only the ``test``
command, a README, a Makefile, a pyproject, a GitHub workflow and
``tools/submit.py``.

``find_leaks`` is the guard: no released path may be a solution, hidden test,
grader or build tool; no file may hold a solution marker; and no line written
between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` in ``solutions/`` may appear
in a released file, compared after removing whitespace.
"""

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.build.stubs import BEGIN, END
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT

TEMPLATES = Path(__file__).with_name("templates")
DEFAULT_OUT = REPO_ROOT / "dist" / "student"

# Folders copied whole (minus caches); assignments/ is copied part by part.
COPIED_FOLDERS = ("datasets", "autograder/shared", "autograder/sandboxed", "autograder/trusted/harness")
IGNORED = ("__pycache__", "*.pyc", ".pytest_cache", ".ipynb_checkpoints", ".DS_Store")

# Template (under templates/student/) -> where it goes in the release.
STUDENT_TEMPLATES = {
    "README.md": "README.md",
    "Makefile": "Makefile",
    "pyproject.toml": "pyproject.toml",
    "gitignore": ".gitignore",
    "test.yml": ".github/workflows/test.yml",
    "autograder_init.py": "autograder/__init__.py",
    "autograder_main.py": "autograder/__main__.py",
    "submit.py": "tools/submit.py",
}
# Files of the main project the release reuses as they are (one source of truth).
SHARED_FILES = {"mk/install-torch.sh": "tools/install-torch.sh", "docs/course_api.md": "docs/course_api.md"}

# Released paths that must never exist (first path components).
FORBIDDEN_PATHS = (
    ("solutions",),
    ("autograder", "hidden"),
    ("autograder", "catalog"),
    ("autograder", "trusted", "grader"),
    ("autograder", "trusted", "report"),
    ("autograder", "build"),
    ("autograder", "examples"),
)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION")

# Solution lines shorter than this (whitespace removed) are too generic to betray anything:
# `else:`, `return loss`, `if mask is not None:`.
MIN_LINE_CHARS = 20

# Solution lines a released file may share, each with the file it may appear in and why. Keep it short.
ALLOWED_SHARED_LINES = {
    ('scores=scores.masked_fill(~mask,float("-inf"))', "assignments/part3/tests/transformer_oracles.py"): (
        "the public oracle writes the attention weights out; the stub's hint already names this step"
    ),
    ("forp,ginzip(model.parameters(),model.gradients(),strict=True):", "autograder/sandboxed/probes/part2.py"): (
        "a probe steps the learner's own MLP; pairing parameters() with gradients() is the contract"
    ),
}


@dataclass(frozen=True)
class SolutionLine:
    text: str  # the line as written
    where: str  # solutions/part1/probabilities.py:42


def _without_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def normalise(line: str) -> str:
    """A line with its comment and all whitespace removed, so re-indenting or re-commenting hides nothing."""
    return re.sub(r"\s+", "", _without_comment(line))


def solution_lines(repo_root: Path = REPO_ROOT) -> dict[str, SolutionLine]:
    """Normalised line -> where it is, for every non-trivial line inside a solution block.

    A line that also appears outside every solution block of ``solutions/`` is
    left out: the stubs publish it by design (a shared ``self.x = None``, say).
    """
    inside_lines: dict[str, SolutionLine] = {}
    outside: set[str] = set()
    for path in sorted((repo_root / "solutions").rglob("*.py")):
        inside = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if BEGIN.match(line):
                inside = True
                continue
            if END.match(line):
                inside = False
                continue
            key = normalise(line)
            if not key:
                continue
            if inside:
                where = f"{path.relative_to(repo_root).as_posix()}:{number}"
                inside_lines.setdefault(key, SolutionLine(line.strip(), where))
            else:
                outside.add(key)
    return {k: v for k, v in inside_lines.items() if len(k) >= MIN_LINE_CHARS and k not in outside}


def _released_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())


def find_leaks(release: Path, repo_root: Path = REPO_ROOT) -> list[str]:
    """Everything in ``release`` that must not be there, one line each; empty when the release is clean."""
    release = Path(release)
    secrets = solution_lines(repo_root)
    problems: list[str] = []
    for path in _released_files(release):
        relative = path.relative_to(release)
        shown = relative.as_posix()
        if path.is_symlink():
            problems.append(f"{shown}: a symlink (a release holds plain files only)")
            continue
        if any(relative.parts[: len(bad)] == bad for bad in FORBIDDEN_PATHS):
            problems.append(f"{shown}: instructor-only path")
        text = path.read_bytes().decode("utf-8", errors="replace")
        for marker in MARKERS:
            if marker in text:
                problems.append(f"{shown}: contains the solution marker {marker!r}")
        for number, line in enumerate(text.splitlines(), start=1):
            key = normalise(line)
            if key in secrets and (key, shown) not in ALLOWED_SHARED_LINES:
                found = secrets[key]
                problems.append(f"{shown}:{number}: line of the reference ({found.where}): {found.text}")
    return problems


def fill_template(text: str, values: dict[str, str], name: str) -> str:
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    left = re.findall(r"@@[A-Z_]+@@", text)
    if left:
        raise ValueError(f"template {name}: no value for {', '.join(sorted(set(left)))}")
    return text


def makefile_value(name: str, repo_root: Path) -> str:
    match = re.search(rf"^{name}\s*\?=\s*(\S+)", (repo_root / "Makefile").read_text(), re.MULTILINE)
    if not match:
        raise ValueError(f"the main Makefile sets no {name}")
    return match.group(1)


def _project_version(repo_root: Path) -> str:
    match = re.search(r'^version\s*=\s*"([^"]+)"', (repo_root / "pyproject.toml").read_text(), re.MULTILINE)
    return match.group(1) if match else "0.0.0"


def _parts_table(assignments: Path) -> str:
    rows = []
    for part in PARTS.values():
        if (assignments / part.folder).is_dir():
            files = ", ".join(f"`{stem}.py`" for stem in part.files)
            rows.append(f"| {part.number} | {part.title} | `assignments/{part.folder}/`: {files} |")
    return "\n".join(rows)


def template_values(repo_root: Path = REPO_ROOT) -> dict[str, str]:
    """What the student templates' ``@@NAME@@`` placeholders become (one source of truth: the main project)."""
    return {
        "TORCH_VERSION": makefile_value("TORCH_VERSION", repo_root),
        "VERSION": _project_version(repo_root),
        "PYTHON_VERSION": "3.11",
        "PARTS_TABLE": _parts_table(repo_root / "assignments"),
    }


def build(out: Path = DEFAULT_OUT, repo_root: Path = REPO_ROOT) -> list[Path]:
    """Write the release into ``out`` (replacing it); returns the files written."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ignore = shutil.ignore_patterns(*IGNORED)
    for part in PARTS.values():
        source = repo_root / "assignments" / part.folder
        if source.is_dir():
            shutil.copytree(source, out / "assignments" / part.folder, ignore=ignore, symlinks=True)
    for folder in COPIED_FOLDERS:
        shutil.copytree(repo_root / folder, out / folder, ignore=ignore, symlinks=True)
    values = template_values(repo_root)
    for name, target in STUDENT_TEMPLATES.items():
        text = fill_template((TEMPLATES / "student" / name).read_text(encoding="utf-8"), values, name)
        destination = out / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
    for source, target in SHARED_FILES.items():
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(repo_root / source, out / target)
    return _released_files(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the release")
    parser.add_argument("--verify", type=Path, metavar="DIR", help="only check DIR for leaks, build nothing")
    args = parser.parse_args(argv)
    target = args.verify or args.out
    if not args.verify:
        files = build(target)
        print(f"wrote {len(files)} files to {target}")
    leaks = find_leaks(target)
    for leak in leaks:
        print(f"LEAK {leak}", file=sys.stderr)
    if leaks:
        print(f"{target}: {len(leaks)} leaks; this release must not be published", file=sys.stderr)
        return 1
    print(f"{target}: no solution line, marker, hidden test or grader file found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
