"""Jupyter notebooks as plain Python source, read as untrusted data and never executed.

A learner may hand in a notebook instead of ``.py`` files. ``notebook_to_source``
turns its code cells into one module: IPython-only syntax (line magics,
``%%`` cell magics, ``!`` shell escapes, ``get_ipython()`` calls, ``name?``
help) is removed, because the grader imports the result as ordinary Python.
``defined_names`` lists what a module defines at top level, with ``ast``, so
``unpack`` can tell which part of the course a notebook belongs to.
"""

import ast
import json
import re

# A line that only IPython understands, once leading whitespace is gone.
_MAGIC_LINE = re.compile(
    r"""^(?:
        [%!]                              # %timeit x, !pip install y
      | [\w.]+\s*=\s*[%!]                 # files = !ls, t = %time f()
      | \?                                # ?softmax
      | [\w.]+\s*\?\??\s*$                # softmax?  softmax??
    )""",
    re.VERBOSE,
)


def notebook_to_source(data: bytes, max_bytes: int = 10 * 2**20, name: str = "notebook") -> tuple[str, list[str]]:
    """The code cells of an ``.ipynb`` as one Python module, and notes on what was removed.

    Any malformed notebook yields ``("", [a note saying why])``: a notebook is
    learner data, so nothing about its structure is assumed.
    """
    if len(data) > max_bytes:
        return "", [f"{name}: refused, {len(data)} bytes is over the {max_bytes} byte limit for notebooks"]
    try:
        cells = _code_cells(_parse(data))
    except ValueError as problem:
        return "", [f"{name}: not a readable notebook ({problem})"]
    notes: list[str] = []
    blocks: list[str] = []
    removed_lines = 0
    for number, source in cells:
        if _first_code_line(source).startswith("%%"):
            magic = _first_code_line(source).split()[0]
            notes.append(f"{name}: dropped cell {number}, a {magic} cell magic")
            continue
        text, removed = _strip_ipython(source)
        removed_lines += removed
        if text.strip():
            blocks.append(f"# %% cell {number}\n{text.rstrip()}\n")
    if removed_lines:
        notes.append(f"{name}: removed {removed_lines} IPython-only lines (magics, shell escapes, get_ipython)")
    source = "\n\n".join(blocks)
    if "\x00" in source:
        return "", [f"{name}: refused, its code contains NUL characters"]
    header = f"# Code cells of {name!r}, converted by the grader (IPython-only syntax removed).\n\n"
    return header + source, notes


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
        raise ValueError(f"not UTF-8 at byte {problem.start}") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except ValueError as problem:  # JSONDecodeError, and ints too long to convert
        raise ValueError(f"invalid JSON: {problem}") from None
    if not isinstance(notebook, dict):
        raise ValueError("the top level is not a JSON object")
    return notebook


def _code_cells(notebook: dict) -> list[tuple[int, str]]:
    """(cell number from 1, source) of each code cell; nbformat 4, and 3's worksheets."""
    version = notebook.get("nbformat")
    if version == 4:
        cells, key = notebook.get("cells"), "source"
    elif version == 3:
        worksheets = notebook.get("worksheets")
        if not isinstance(worksheets, list) or not all(isinstance(w, dict) for w in worksheets):
            raise ValueError("'worksheets' is not a list of objects")
        cells, key = [c for w in worksheets for c in _as_list(w.get("cells"), "cells")], "input"
    else:
        raise ValueError(f"unsupported nbformat {version!r}")
    code: list[tuple[int, str]] = []
    for number, cell in enumerate(_as_list(cells, "cells"), start=1):
        if not isinstance(cell, dict):
            raise ValueError(f"cell {number} is not an object")
        kind = cell.get("cell_type")
        if not isinstance(kind, str):
            raise ValueError(f"cell {number} has no cell_type string")
        if kind == "code":
            code.append((number, _cell_source(cell.get(key, ""), number)))
    return code


def _as_list(value: object, what: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{what!r} is not a list")
    return value


def _cell_source(source: object, number: int) -> str:
    # nbformat stores a cell's source as one string or as a list of lines.
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise ValueError(f"cell {number} has a source that is neither a string nor a list of strings")


def _first_code_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.lstrip()
    return ""


def _strip_ipython(source: str) -> tuple[str, int]:
    """The cell without IPython-only lines, and how many were removed.

    A removed line inside an indented block becomes ``pass`` so the block stays
    valid; lines inside a triple-quoted string are left alone.
    """
    kept: list[str] = []
    removed = 0
    open_quote = ""  # the triple quote we are inside, if any
    for line in source.splitlines():
        stripped = line.lstrip()
        if not open_quote and (_MAGIC_LINE.match(stripped) or "get_ipython(" in line):
            removed += 1
            indent = line[: len(line) - len(stripped)]
            if indent:
                kept.append(f"{indent}pass  # IPython-only line removed by the grader")
            continue
        kept.append(line)
        open_quote = _triple_quote_state(line, open_quote)
    return "\n".join(kept), removed


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
