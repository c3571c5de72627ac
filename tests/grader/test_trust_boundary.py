"""The sandboxed side holds nothing that decides a score: no hidden suite, no reference, no trusted-side module.

Two proofs, one at run time and one in the source:

- A learner function run in a real worker lists the modules it can reach
  through ``sys.modules``. Nothing of ``autograder/trusted/``, the hidden
  tests, ``solutions/``, the catalog, the demo class or the build tools may be
  there; the worker's own modules must be, which shows the listing works.
- Every ``import`` written in ``autograder/sandboxed/`` and ``autograder/shared/``
  is read with ``ast``: the sandboxed side imports only itself and the shared
  folder, and the shared folder only itself. A planted import is caught.
"""

import ast
from pathlib import Path

import pytest
import torch

from autograder.shared.paths import REPO_ROOT
from autograder.trusted.grader.grade_one import write_scratch
from autograder.trusted.grader.remote.client import ForkServerClient
from autograder.trusted.grader.remote.implementation import RemoteImplementation
from autograder.trusted.grader.remote.session import WorkerSession

TRUSTED_ONLY = (
    "autograder.trusted",
    "autograder.hidden",
    "solutions",
    "autograder.catalog",
    "autograder.examples",
    "autograder.build",
)
SANDBOX_SIDE = ("autograder.sandboxed.worker", "autograder.sandboxed.sandbox", "autograder.sandboxed.loader")
# What each side's source may import from the course's own packages.
MAY_IMPORT = {
    "sandboxed": ("autograder.sandboxed", "autograder.shared"),
    "shared": ("autograder.shared",),
}
COURSE_PACKAGES = ("autograder", "solutions", "assignments")

SPY = f"""
def xor_features(x):
    import sys
    def held(prefix):
        return sorted(n for n in sys.modules if n == prefix or n.startswith(prefix + "."))
    trusted = [n for p in {TRUSTED_ONLY!r} for n in held(p)]
    return {{"trusted": trusted, "own": [p for p in {SANDBOX_SIDE!r} if held(p)]}}
"""


def test_the_worker_holds_no_hidden_suite_no_reference_and_no_trusted_module(tmp_path):
    server = ForkServerClient(tmp_path / "home")
    try:
        scratch = tmp_path / "scratch" / "submission"
        write_scratch({"part1/features.py": SPY}, scratch)
        remote = RemoteImplementation(WorkerSession(server, scratch, call_timeout=30.0))
        remote.load()
        seen = remote.xor_features(torch.zeros(1, 2))
    finally:
        server.close()
    assert sorted(seen["own"]) == sorted(SANDBOX_SIDE), seen  # the listing works: the worker's own modules are there
    assert seen["trusted"] == [], f"the sandboxed worker can reach trusted-side modules: {seen['trusted']}"


def imported_course_modules(source: str) -> list[str]:
    """The course modules a file's source imports, anywhere in it (function bodies included)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.append("<relative import>")  # the layout rule is checked on absolute names only
            elif node.module:
                names.append(node.module)
    return [name for name in names if name == "<relative import>" or name.split(".")[0] in COURSE_PACKAGES]


def boundary_breaks(side: str, root: Path = REPO_ROOT) -> list[str]:
    allowed = MAY_IMPORT[side]
    breaks = []
    for path in sorted((root / "autograder" / side).rglob("*.py")):
        for name in imported_course_modules(path.read_text(encoding="utf-8")):
            if not (name == "autograder" or name.startswith(tuple(f"{a}." for a in allowed)) or name in allowed):
                breaks.append(f"{path.relative_to(root)} imports {name}")
    return breaks


@pytest.mark.parametrize("side", sorted(MAY_IMPORT))
def test_each_side_imports_only_what_its_folder_allows(side):
    assert boundary_breaks(side) == []


@pytest.mark.parametrize(
    "side, planted",
    [
        ("sandboxed", "from autograder.trusted.harness.checks import close\n"),
        ("sandboxed", "def f():\n    import solutions.part1.linear\n"),
        ("shared", "from autograder.sandboxed.loader import Implementation\n"),
        ("shared", "from . import api\n"),
    ],
)
def test_a_planted_import_across_the_boundary_is_caught(tmp_path, side, planted):
    (tmp_path / "autograder" / side).mkdir(parents=True)
    (tmp_path / "autograder" / side / "planted.py").write_text(planted)
    assert len(boundary_breaks(side, tmp_path)) == 1
