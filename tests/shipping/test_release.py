"""The learner release (``make release``): it holds no solution and no hidden test, and it works on its own.

The leak check is tested both ways: the real release is clean, and each kind
of leak planted in a copy is caught. The release is then copied out of the
repository, installed with its own ``make install`` (into a venv that sees the
project's packages, so torch is not downloaded again) and tested with its own
``make test``: the stubs score 0, the reference copied over them full marks.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.build import release
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "student"
    release.build(out)
    return out


def test_the_release_is_clean(built):
    assert release.find_leaks(built) == []


def test_the_release_has_what_a_learner_needs(built):
    for relative in (
        "README.md",
        "Makefile",
        "pyproject.toml",
        ".gitignore",
        ".github/workflows/test.yml",
        "tools/submit.py",
        "autograder/__init__.py",
        "autograder/__main__.py",
        "autograder/trusted/harness/plugin.py",
        "datasets/__init__.py",
        "docs/course_api.md",
    ):
        assert (built / relative).is_file(), relative
    for part in PARTS.values():
        folder = built / "assignments" / part.folder
        assert (folder / "README.md").is_file()
        assert list((folder / "tests").glob("test_*.py"))
        for stem in part.files:
            assert "raise NotImplementedError" in (folder / f"{stem}.py").read_text()
    for path in built.rglob("*"):
        assert "__pycache__" not in path.parts
        if path.is_file():
            assert "@@" not in path.read_text(), f"unfilled template placeholder in {path}"


def test_the_learner_project_depends_on_torch_numpy_and_pytest_only(built):
    dependencies = re.search(r"^dependencies = \[(.*)\]$", (built / "pyproject.toml").read_text(), re.MULTILINE)
    names = sorted(re.split(r"[<>=!~ ]", d.strip().strip('"'))[0] for d in dependencies.group(1).split(","))
    assert names == ["numpy", "pytest", "torch"]
    assert release.makefile_value("TORCH_VERSION", REPO_ROOT) in (built / "Makefile").read_text()


def test_the_workflow_runs_install_and_test_and_writes_the_summary(built):
    workflow = (built / ".github/workflows/test.yml").read_text()
    assert "on:\n  push:" in workflow
    assert "make install" in workflow
    test_line = next(line for line in workflow.splitlines() if "make test" in line)
    assert "$GITHUB_STEP_SUMMARY" in test_line


def test_the_learner_command_line_has_only_test():
    source = (release.TEMPLATES / "student" / "autograder_main.py").read_text()
    assert 'add_parser("test"' in source
    for instructor_only in ("grade", "demo", "hidden", "reference", "grader"):
        assert f'add_parser("{instructor_only}"' not in source
        assert f"autograder.{instructor_only}" not in source


def _plant(built: Path, tmp_path: Path, relative: str, text: str) -> list[str]:
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    target = copy / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(target.read_text() + text if target.exists() else text)
    return release.find_leaks(copy)


def _a_solution_line() -> tuple[str, str]:
    """A real line from inside a solution block, and the file it comes from."""
    secrets = release.solution_lines()
    assert len(secrets) > 50, "too few solution lines found: the marker parsing broke"
    found = next(iter(secrets.values()))
    return found.text, found.where


@pytest.mark.parametrize(
    "relative, planted",
    [
        ("assignments/part1/notes.py", "# BEGIN SOLUTION\n"),
        ("autograder/hidden/part1/test_x.py", "x = 1\n"),
        ("solutions/part1/linear.py", "x = 1\n"),
        ("autograder/trusted/grader/grade_one.py", "x = 1\n"),
        ("autograder/trusted/report/report.py", "x = 1\n"),
        ("autograder/catalog/part1.py", "x = 1\n"),
    ],
)
def test_the_leak_check_catches_markers_and_instructor_paths(built, tmp_path, relative, planted):
    leaks = _plant(built, tmp_path, relative, planted)
    assert any(leak.startswith(relative) for leak in leaks), leaks


def test_the_leak_check_catches_a_solution_line_however_it_is_indented(built, tmp_path):
    line, where = _a_solution_line()
    # Hidden in a docstring of a public test, re-indented and with another comment.
    planted = f'\n"""\n        {line.replace(" ", "  ")}   # harmless?\n"""\n'
    leaks = _plant(built, tmp_path, "assignments/part1/tests/test_linear.py", planted)
    assert any(where in leak for leak in leaks), leaks


def test_every_reference_file_would_be_caught(built, tmp_path):
    """Copying any one reference file into the release (the classic mistake) is a leak."""
    for path in sorted((REPO_ROOT / "solutions").glob("part*/*.py")):
        if "# BEGIN SOLUTION" not in path.read_text():
            continue
        copy = tmp_path / path.stem
        shutil.copytree(built, copy)
        shutil.copyfile(path, copy / "assignments" / path.parent.name / path.name)
        leaks = [leak for leak in release.find_leaks(copy) if "line of the reference" in leak]
        assert leaks, f"a copy of {path.relative_to(REPO_ROOT)} went unnoticed"
        shutil.rmtree(copy)


# -- the release on its own -------------------------------------------------------------------------------


def _venv_seeing_the_project_packages(where: Path) -> Path:
    """A venv whose site-packages points at this interpreter's: `make install` then finds torch already there."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    site = next(where.glob("lib/python*/site-packages"))
    ours = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site / "_project_packages.pth").write_text("\n".join(ours) + "\n")
    return where


def _make(release_copy: Path, venv: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL")}
    return subprocess.run(
        ["make", "--no-print-directory", *args, f"VENV={venv}", "PIP_ARGS=--no-index --no-build-isolation"],
        cwd=release_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_release_installs_and_grades_on_its_own(built, tmp_path):
    copy = tmp_path / "student"
    shutil.copytree(built, copy)
    venv = _venv_seeing_the_project_packages(tmp_path / "venv")

    installed = _make(copy, venv, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = subprocess.run(
        [str(venv / "bin/python"), "-c", "import autograder, datasets; print(autograder.__file__, datasets.__file__)"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(REPO_ROOT) not in where and str(copy) in where

    summary = tmp_path / "summary.md"
    stubs = _make(copy, venv, "test", "DEVICE=cpu", f"SUMMARY={summary}")
    assert stubs.returncode != 0
    score_line = next((line for line in stubs.stdout.splitlines() if line.startswith("Score: ")), "")
    assert score_line.startswith("Score: 0 / "), stubs.stdout[-3000:] + stubs.stderr[-3000:]
    top = float(score_line.split("/")[1])
    assert top > 0
    markdown = summary.read_text()
    assert markdown.startswith(f"## Public tests: 0 / {top:g}")
    assert "| 1 | ❌ `softmax` |" in markdown

    for part in PARTS.values():
        for path in (REPO_ROOT / "solutions" / part.folder).glob("*.py"):
            shutil.copyfile(path, copy / "assignments" / part.folder / path.name)
    reference = _make(copy, venv, "test", "DEVICE=cpu")
    assert reference.returncode == 0, reference.stdout[-3000:] + reference.stderr[-3000:]
    assert f"Score: {top:g} / {top:g}" in reference.stdout
