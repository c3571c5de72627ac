"""The class the benchmark grades: copies of the reference solutions, each made unique by a comment.

Full marks means every test runs to its end, training tests included: the
slowest honest submission, so the figures are an upper bound for a real class.
Each copy differs by one comment line so that no cache keyed on a
submission's files could make a later copy cheaper than the first.
"""

import shutil
from pathlib import Path

from autograder.shared.paths import REPO_ROOT


def write_class(folder: Path, count: int, parts: list[int]) -> list[Path]:
    """``count`` submission folders (``learner000`` ...) of ``parts`` under ``folder``, which is replaced."""
    if folder.exists():
        shutil.rmtree(folder)
    made = []
    for index in range(count):
        target = folder / f"learner{index:03d}"
        for source in sorted(p for n in parts for p in (REPO_ROOT / "solutions" / f"part{n}").glob("*.py")):
            destination = target / source.relative_to(REPO_ROOT / "solutions")
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(f"# submission {index}\n" + source.read_text())
        made.append(target)
    return made
