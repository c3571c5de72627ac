"""Submissions for checking the similarity report: independently written ones, and a disguised copy.

``independent(folder, choice)`` writes a Part 1 whose functions are, API by API,
the reference or one of the catalog's correct variants (``choice`` picks which), so
two different choices are two learners who wrote some functions differently.
``disguise(source)`` is what a learner who copies does to hide it: every local
variable renamed and the top-level functions put in the reverse order (parameter
names stay, since callers pass them by keyword; comments go, as ``ast`` drops them).
Nothing here runs learner code: the sources are only parsed and rewritten.
"""

import ast
import builtins
import shutil
from pathlib import Path

from autograder.shared.api import PART1
from autograder.shared.paths import REPO_ROOT


class _RenameLocals(ast.NodeTransformer):
    """Inside each function, every name it assigns (not a parameter, not a global) gets a new name."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        parameters = {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
        stored = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} - parameters
        stored -= set(dir(builtins))
        renames = {name: f"tmp_{index}" for index, name in enumerate(sorted(stored))}
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and child.id in renames:
                child.id = renames[child.id]
        return node


def disguise(source: str) -> str:
    """``source`` with its functions' local variables renamed and its top-level functions in reverse order."""
    tree = _RenameLocals().visit(ast.parse(source))
    functions = [i for i, node in enumerate(tree.body) if isinstance(node, ast.FunctionDef)]
    reordered = [tree.body[i] for i in reversed(functions)]
    for slot, node in zip(functions, reordered, strict=True):
        tree.body[slot] = node
    return ast.unparse(tree) + "\n"


def disguised_copy(source: Path, target: Path) -> None:
    """Copy a submission's Python files from ``source`` to ``target``, each one disguised."""
    for path in sorted(source.rglob("*.py")):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(disguise(path.read_text()))


def independent(folder: Path, choice: int) -> Path:
    """A Part 1 in ``folder``: for each API with catalog variants, the reference or variant number ``choice``."""
    from autograder.catalog import load_all
    from autograder.examples import bug_source, replace_function

    target = folder / "part1"
    shutil.copytree(REPO_ROOT / "solutions/part1", target, dirs_exist_ok=True)
    variants: dict[str, list] = {}
    for entry in load_all():
        if entry.kind == "variant" and entry.part == 1 and callable(entry.replacement):
            variants.setdefault(entry.api, []).append(entry)
    for offset, (api, entries) in enumerate(sorted(variants.items())):
        pick = (choice + offset) % (len(entries) + 1)  # 0: the reference's own code
        if pick == 0:
            continue
        stem = next(s for s, names in PART1.files.items() if api in names)
        path = target / f"{stem}.py"
        path.write_text(replace_function(path.read_text(), api, bug_source(entries[pick - 1])))
    for path in target.glob("*.py"):  # the variants call torch; every Part 1 file imports it already, or now does
        text = path.read_text()
        if "torch." in text and "import torch" not in text:
            path.write_text("import torch\n" + text)
    return folder
