"""Jupyter notebooks read as untrusted data: their code cells as Python, one cell at a time, never executed here.

A learner may hand in a notebook instead of ``.py`` files. ``notebook_cells``
turns each code cell into plain Python the way IPython would run it, without
running anything: harmless IPython-only lines (``%matplotlib inline``,
``%load_ext``, ``name?`` help, ``get_ipython()`` calls) are left out, a
``!pip install`` shell command is left out with a note, ``%time stmt`` and
``%%time``/``%%capture`` cells keep their Python (so does ``%%writefile x.py``:
the code is run as a cell, and no file is written), and a magic the grader cannot
honour becomes a ``raise`` at that very line, so the cell stops there as it
would in IPython. The sandboxed worker then runs the cells in order (see
``cells.py``). ``defined_names`` lists what the code defines at top level, with
``ast``, so ``unpack`` can tell which parts of the course a notebook holds.
"""

import ast
import json
import re
from dataclasses import dataclass, field

from autograder.shared.hints import notebooks as notebook_hints
from autograder.shared.hints import values as value_hints

NOTEBOOK_FOLDER = "_notebooks"  # in a submission's files: <n>.json per notebook, run cell by cell in the worker

# Line magics that only change how IPython displays or reloads things: nothing to run.
HARMLESS_MAGICS = frozenset(
    {"matplotlib", "config", "load_ext", "reload_ext", "unload_ext", "autoreload", "aimport", "precision", "xmode",
     "who", "whos", "who_ls", "lsmagic", "history", "pwd", "pdef", "pdoc", "psource", "pinfo", "pinfo2", "alias",
     "colors", "magic", "quickref", "notebook", "pylab", "env", "set_env", "timeit", "prun", "pip", "conda",
     "cd", "ls", "pdb", "debug", "tb", "reset", "store", "autosave", "autocall"}
)  # fmt: skip
# Cell magics whose body is Python that IPython runs once in the notebook's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "capture"})
_TIMED = re.compile(r"^%time\s+(?P<statement>.*)$")  # %time x = f(): IPython runs the statement and times it
_LINE_MAGIC = re.compile(r"^%(?P<name>\w+)")
_SHELL = re.compile(r"^!")
_ASSIGNED_FROM_SHELL_OR_MAGIC = re.compile(r"^[\w.]+\s*=\s*[%!]")  # files = !ls, t = %timeit -o f()
_HELP = re.compile(r"^(?:\?|[\w.]+\s*\?\??\s*$)")  # ?softmax, softmax?, softmax??


@dataclass
class Cell:
    number: int  # the cell's position among all cells, from 1, as Jupyter shows no number before a run
    source: str  # Python, same line numbers as the learner's cell
    notes: list[str] = field(default_factory=list)  # what was left out, for the feedback
    run: bool = True  # False for a cell magic the grader does not run (%%bash, %%writefile ...)


def notebook_cells(data: bytes, max_bytes: int = 10 * 2**20, name: str = "notebook") -> tuple[list[Cell], list[str]]:
    """The code cells of an ``.ipynb`` as Python, in order, and notes on the notebook as a whole.

    Any malformed notebook yields ``([], [a note saying why])``: a notebook is
    learner data, so nothing about its structure is assumed.
    """
    if len(data) > max_bytes:
        return [], [notebook_hints.notebook_too_big(name, len(data), max_bytes)]
    try:
        raw = _code_cells(_parse(data))
    except ValueError as problem:
        return [], [notebook_hints.unreadable_notebook(name, problem)]
    cells = [_python_cell(number, source.replace("\r\n", "\n").replace("\r", "\n")) for number, source in raw]
    if any("\x00" in cell.source for cell in cells):
        return [], [notebook_hints.notebook_has_nul(name)]
    left_out = sum(cell.notes.count(notebook_hints.IPYTHON_LINE_LEFT_OUT) for cell in cells)
    notes = [notebook_hints.ipython_lines_left_out(name, left_out)] if left_out else []
    for cell in cells:
        shown = [note for note in cell.notes if note != notebook_hints.IPYTHON_LINE_LEFT_OUT]
        notes += [value_hints.about(notebook_hints.cell_label(name, cell.number), note) for note in shown]
    return cells, notes


def notebook_to_source(data: bytes, max_bytes: int = 10 * 2**20, name: str = "notebook") -> tuple[str, list[str]]:
    """The cells that run, as one module (for reading what a notebook defines; grading runs cell by cell)."""
    cells, notes = notebook_cells(data, max_bytes, name)
    blocks = [
        f"# %% cell {cell.number}\n{cell.source.rstrip()}\n" for cell in cells if cell.run and cell.source.strip()
    ]
    return ("\n\n".join(blocks), notes) if blocks else ("", notes)


def _python_cell(number: int, source: str) -> Cell:
    first = _first_code_line(source)
    notes: list[str] = []
    if first.startswith("%%"):
        words = first[2:].split()
        magic = words[0] if words else ""
        # %%writefile linear.py: the learner keeps the code in the notebook; its definitions count as a cell's.
        python_file = magic == "writefile" and len(words) > 1 and words[-1].endswith(".py")
        if python_file:
            notes.append(notebook_hints.writefile_run_as_cell(words[-1]))
        elif magic not in PYTHON_CELL_MAGICS:
            return Cell(number, "", [notebook_hints.cell_magic_not_run(magic)], run=False)
        lines = source.split("\n")
        at = next(i for i, line in enumerate(lines) if line.lstrip() == first)
        lines[at] = ""  # the %%time line becomes an empty line: line numbers stay
        source = "\n".join(lines)
    text, stripped = _strip_ipython(source)
    return Cell(number, text, notes + stripped)


def cells_defined_names(cells: list[Cell]) -> set[str]:
    """Names the cells that run bind at top level; a cell with a syntax error costs only its own names."""
    return set().union(*(defined_names(cell.source) for cell in cells if cell.run))


def defined_names(source: str) -> set[str]:
    """Names a module binds at top level (functions, classes, simple assignments), found without running it.

    A notebook with a syntax error still has to be placed in a part, so then the
    ``def``/``class`` lines are read with a regular expression instead.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pattern = r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)"
        return set(re.findall(pattern, source, flags=re.MULTILINE))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _parse(data: bytes) -> dict:
    try:
        notebook = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as problem:
        raise ValueError(notebook_hints.notebook_not_utf8(problem.start)) from None
    except RecursionError:
        raise ValueError(notebook_hints.JSON_TOO_DEEP) from None
    except ValueError as problem:  # JSONDecodeError, and ints too long to convert
        raise ValueError(notebook_hints.invalid_json(problem)) from None
    if not isinstance(notebook, dict):
        raise ValueError(notebook_hints.NOT_A_JSON_OBJECT)
    return notebook


def _code_cells(notebook: dict) -> list[tuple[int, str]]:
    """(cell number from 1, source) of each code cell; nbformat 4, and 3's worksheets."""
    version = notebook.get("nbformat")
    if version == 4:
        cells, key = notebook.get("cells"), "source"
    elif version == 3:
        worksheets = notebook.get("worksheets")
        if not isinstance(worksheets, list) or not all(isinstance(w, dict) for w in worksheets):
            raise ValueError(notebook_hints.WORKSHEETS_NOT_OBJECTS)
        cells, key = [c for w in worksheets for c in _as_list(w.get("cells"), "cells")], "input"
    else:
        raise ValueError(notebook_hints.unsupported_nbformat(version))
    code: list[tuple[int, str]] = []
    for number, cell in enumerate(_as_list(cells, "cells"), start=1):
        if not isinstance(cell, dict):
            raise ValueError(notebook_hints.cell_not_an_object(number))
        kind = cell.get("cell_type")
        if not isinstance(kind, str):
            raise ValueError(notebook_hints.cell_without_type(number))
        if kind == "code":
            code.append((number, _cell_source(cell.get(key, ""), number)))
    return code


def _as_list(value: object, what: str) -> list:
    if not isinstance(value, list):
        raise ValueError(notebook_hints.not_a_list(what))
    return value


def _cell_source(source: object, number: int) -> str:
    # nbformat stores a cell's source as one string or as a list of lines.
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise ValueError(notebook_hints.cell_source_malformed(number))


def _first_code_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.lstrip()
    return ""


def _strip_ipython(source: str) -> tuple[str, list[str]]:
    """The cell as Python, line for line, and notes on what was left out.

    A left-out line inside an indented block becomes ``pass`` so the block stays
    valid; lines inside a triple-quoted string are left alone.
    """
    kept: list[str] = []
    notes: list[str] = []
    open_quote = ""  # the triple quote we are inside, if any
    for line in source.split("\n"):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        replacement = None if open_quote else _ipython_line(stripped, notes)
        if replacement is None:
            kept.append(line)
            open_quote = _triple_quote_state(line, open_quote)
        else:
            kept.append(indent + replacement if replacement else (f"{indent}pass" if indent else ""))
    return "\n".join(kept), notes


def _ipython_line(stripped: str, notes: list[str]) -> str | None:
    """What an IPython-only line becomes (``""``: nothing), or None for a line of plain Python."""
    shown = stripped[:80]
    if _ASSIGNED_FROM_SHELL_OR_MAGIC.match(stripped):
        return _raising(notebook_hints.needs_ipython(shown))
    if timed := _TIMED.match(stripped):
        return timed["statement"]
    if _SHELL.match(stripped) or re.match(r"^%(?:pip|conda)\b", stripped):
        notes.append(notebook_hints.shell_command_not_run(shown))
        return ""
    if magic := _LINE_MAGIC.match(stripped):
        if magic["name"] in HARMLESS_MAGICS:
            notes.append(notebook_hints.IPYTHON_LINE_LEFT_OUT)
            return ""
        return _raising(notebook_hints.magic_not_run(magic["name"]))
    if _HELP.match(stripped) or "get_ipython(" in stripped:
        notes.append(notebook_hints.IPYTHON_LINE_LEFT_OUT)
        return ""
    return None


def _raising(why: str) -> str:
    # The cell stops at this line when it runs, as IPython stops at a magic it cannot run.
    return f"raise RuntimeError({why!r})"


def _triple_quote_state(line: str, open_quote: str) -> str:
    """Whether a triple-quoted string is still open after ``line`` (and which quote), scanning by hand.

    ``tokenize`` cannot be used: the text around it may not be valid Python yet.
    """
    i = 0
    while i < len(line):
        if open_quote:
            if line[i] == "\\":
                i += 2
                continue
            if line.startswith(open_quote, i):
                i += 3
                open_quote = ""
                continue
            i += 1
            continue
        char = line[i]
        if char == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            open_quote = line[i : i + 3]
            i += 3
            continue
        if char in "\"'":
            i = _end_of_short_string(line, i)
            continue
        i += 1
    return open_quote


def _end_of_short_string(line: str, start: int) -> int:
    quote = line[start]
    i = start + 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            return i + 1
        i += 1
    return i
