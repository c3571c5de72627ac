"""Example submissions for ``make demo`` and the grader's regression suite.

``build_class(folder)`` writes a small class export: a perfect submission (a
copy of the reference), a partial one (a few functions left as stubs, a
catalogued bug in Part 1 and one in Part 4, and a Part 5 with its tokenizer left as a
stub and the schedule never reaching min_lr), a broken one (a syntax error and a crash at import) and a
hostile one (the files in ``hostile/``, which try to cheat and to escape), and
a near-copy pair for the similarity report: ``original`` (a Part 1 written with the
catalog's correct variants) and ``near-copy`` (it, disguised: see ``copies.py``).
``notebook`` hands in the reference Part 1 as a Colab notebook that also plots,
mounts a Drive and keeps failing cells (see ``notebooks.py``).
``resubmit(folder)`` then fixes the partial one's softmax, so that grading the
class again shows what a regrade reports.
The perfect and partial ones are generated from ``solutions/`` and
``assignments/`` so that no solution code is written twice.
"""

import ast
import inspect
import re
import shutil
import textwrap
from pathlib import Path

from autograder.examples.copies import disguised_copy, independent
from autograder.examples.notebooks import realistic_notebook
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT

HOSTILE = Path(__file__).with_name("hostile")


def _copy_part(source_root: Path, target: Path, folder: str) -> None:
    for path in sorted((source_root / folder).glob("*.py")):
        destination = target / folder / path.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def replace_function(source: str, name: str, replacement: str) -> str:
    """Swap the top-level ``def name`` in ``source`` for ``replacement`` (another function's source)."""
    lines = source.splitlines(keepends=True)
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
    return "".join(lines[:start]) + replacement + "\n\n" + "".join(lines[node.end_lineno :])


def bug_source(entry) -> str:
    """A catalog entry as learner source: renamed to its API name, with the private helpers it calls."""
    module = inspect.getmodule(entry.replacement)
    source = textwrap.dedent(inspect.getsource(entry.replacement))
    source = "\n".join(line for line in source.splitlines() if not line.startswith("@"))
    helpers: list[str] = []

    def collect(text: str) -> None:  # module-level _helpers it calls, and theirs, each once
        for name in re.findall(r"\b(_\w+)\(", text):
            helper = getattr(module, name, None)
            if inspect.isfunction(helper) and name not in helpers:
                helpers.append(name)
                collect(inspect.getsource(helper))

    collect(source)
    definitions = "".join(textwrap.dedent(inspect.getsource(getattr(module, n))) + "\n" for n in reversed(helpers))
    return definitions + source.replace(f"def {entry.replacement.__name__}(", f"def {entry.api}(", 1)


def build_class(folder: Path) -> Path:
    """Write the demo class export into ``folder`` (replacing it) and return it."""
    if folder.exists():
        shutil.rmtree(folder)
    parts = [p.folder for p in PARTS.values() if (REPO_ROOT / "solutions" / p.folder).is_dir()]
    # perfect: the reference itself
    for part in parts:
        _copy_part(REPO_ROOT / "solutions", folder / "perfect", part)
    # partial: Part 1 only, losses left as stubs, softmax with the classic overflow bug
    _copy_part(REPO_ROOT / "solutions", folder / "partial", "part1")
    _copy_part(REPO_ROOT / "assignments", folder / "partial", "part1")  # stubs over...
    for stem in ("linear", "probabilities", "features", "gradients", "sgd", "log_linear"):  # ...then the work done
        shutil.copyfile(REPO_ROOT / "solutions/part1" / f"{stem}.py", folder / "partial/part1" / f"{stem}.py")
    probabilities = folder / "partial/part1/probabilities.py"
    from autograder.catalog import load_all

    description = "no max shift: overflows for large scores"
    entry = next(e for e in load_all() if e.api == "softmax" and e.kind == "bug" and e.description == description)
    probabilities.write_text(replace_function(probabilities.read_text(), "softmax", bug_source(entry)))
    # ...and Part 4 finished but for a sampler that applies top-k after the nucleus
    if (REPO_ROOT / "solutions" / "part4").is_dir():
        _copy_part(REPO_ROOT / "solutions", folder / "partial", "part4")
        sampling = folder / "partial/part4/sampling.py"
        description = "applies top-k after the nucleus"
        entry = next(e for e in load_all() if e.api == "sample_next_token" and e.description == description)
        sampling.write_text(replace_function(sampling.read_text(), "sample_next_token", bug_source(entry)))
    if "part5" in parts:  # partial in Part 5 too: bpe.py untouched, cosine_lr with a catalogued bug
        _copy_part(REPO_ROOT / "solutions", folder / "partial", "part5")
        shutil.copyfile(REPO_ROOT / "assignments/part5/bpe.py", folder / "partial/part5/bpe.py")
        schedule = folder / "partial/part5/schedule.py"
        description = "decays over total_steps + 1 steps, so it never reaches min_lr"
        entry = next(e for e in load_all() if e.api == "cosine_lr" and e.description == description)
        schedule.write_text(replace_function(schedule.read_text(), "cosine_lr", bug_source(entry)))
    # broken: a syntax error in one file, an exit at import in another, the rest missing
    broken = folder / "broken" / "part1"
    broken.mkdir(parents=True)
    (broken / "linear.py").write_text("def linear(x, W, b)\n    return x @ W + b\n")
    (broken / "probabilities.py").write_text("import os\nos._exit(1)\n")
    shutil.copyfile(REPO_ROOT / "solutions/part1/features.py", broken / "features.py")
    # hostile: a working Part 1 whose files also try every trick in hostile/
    _copy_part(REPO_ROOT / "solutions", folder / "hostile", "part1")
    for path in sorted((HOSTILE / "part1").glob("*.py")):
        shutil.copyfile(path, folder / "hostile/part1" / path.name)
    for smuggled in ("conftest.py", "sitecustomize.py"):
        shutil.copyfile(HOSTILE / smuggled, folder / "hostile" / smuggled)
    # original and near-copy: a Part 1 written with the catalog's variants, and a disguised copy of it
    independent(folder / "original", choice=1)
    disguised_copy(folder / "original", folder / "near-copy")
    # notebook: the reference Part 1 in a Colab notebook, with plots, a Drive mount and cells that fail
    (folder / "notebook").mkdir()
    (folder / "notebook" / "Homework 1.ipynb").write_text(realistic_notebook(parts=(1,), training_loop=False).to_json())
    return folder


def resubmit(folder: Path) -> str:
    """The partial learner sends a fixed softmax after the deadline: the demo grades the class again."""
    probabilities = folder / "partial/part1/probabilities.py"
    reference = (REPO_ROOT / "solutions/part1/probabilities.py").read_text()
    node = next(n for n in ast.parse(reference).body if isinstance(n, ast.FunctionDef) and n.name == "softmax")
    fixed = "".join(reference.splitlines(keepends=True)[node.lineno - 1 : node.end_lineno])
    probabilities.write_text(replace_function(probabilities.read_text(), "softmax", fixed))
    return "partial resubmitted part1/probabilities.py with softmax fixed"
