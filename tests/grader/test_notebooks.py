"""Notebooks as source: code cells only, IPython syntax removed, malformed notebooks reported rather than crashing."""

import ast
import json

import pytest

from autograder.grader.notebooks import defined_names, notebook_to_source


def notebook(*cells: dict, nbformat: int = 4) -> bytes:
    return json.dumps({"nbformat": nbformat, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)}).encode()


def code(source: str | list[str]) -> dict:
    return {"cell_type": "code", "source": source, "outputs": [], "execution_count": None, "metadata": {}}


def test_only_code_cells_are_kept_and_the_result_is_valid_python():
    data = notebook(
        {"cell_type": "markdown", "source": "# Softmax\nThis is prose, not code."},
        code(["def softmax(z):\n", "    return z.exp() / z.exp().sum()\n"]),
        {"cell_type": "raw", "source": "raw text"},
        code("x = softmax"),
    )
    source, notes = notebook_to_source(data)
    assert "This is prose" not in source and "raw text" not in source
    assert "def softmax(z):" in source and "x = softmax" in source
    ast.parse(source)
    assert notes == []


def test_line_magics_shell_escapes_help_and_get_ipython_are_removed():
    data = notebook(
        code("%matplotlib inline\n!pip install torch\nfiles = !ls\nsoftmax?\nimport torch"),
        code("get_ipython().run_line_magic('load_ext', 'autoreload')\nt = %time 1 + 1\ny = 2"),
    )
    source, notes = notebook_to_source(data)
    for removed in ("%matplotlib", "!pip", "!ls", "softmax?", "get_ipython", "%time"):
        assert removed not in source
    assert "import torch" in source and "y = 2" in source
    ast.parse(source)
    assert any("removed 6 IPython-only lines" in note for note in notes)


def test_a_magic_inside_a_block_becomes_pass_so_the_block_stays_valid():
    source, _ = notebook_to_source(notebook(code("for i in range(3):\n    %time f(i)\nz = 1")))
    tree = ast.parse(source)
    assert isinstance(tree.body[0].body[0], ast.Pass)


def test_a_cell_magic_drops_the_whole_cell_with_a_note():
    cells = code("%%timeit\nslow()"), code("# comment\n%%bash\nrm -rf /"), code("a = 1")
    source, notes = notebook_to_source(notebook(*cells))
    assert "slow()" not in source and "rm -rf" not in source and "a = 1" in source
    assert any("%%timeit" in note for note in notes) and any("%%bash" in note for note in notes)


def test_magic_looking_lines_inside_a_triple_quoted_string_are_kept():
    cell = 'DOC = """\n%d percent\n!important\n"""\n%timeit f()\nDONE = True'
    source, _ = notebook_to_source(notebook(code(cell)))
    assert "%d percent\n!important" in source and "%timeit" not in source
    ast.parse(source)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"{not json", "invalid JSON"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'{"nbformat": 4, "cells": {"a": 1}}', "'cells' is not a list"),
        (b'{"nbformat": 4, "cells": ["code"]}', "cell 1 is not an object"),
        (b'{"nbformat": 4, "cells": [{"source": "x = 1"}]}', "no cell_type"),
        (b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a", 5]}]}', "neither a string nor a list"),
        (b'{"nbformat": 99, "cells": []}', "unsupported nbformat"),
        (b'{"nbformat": 4, "cells": []}\xff', "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ],
)
def test_a_malformed_notebook_yields_no_source_and_a_clear_note(data, problem):
    source, notes = notebook_to_source(data, name="hw.ipynb")
    assert source == ""
    assert len(notes) == 1 and notes[0].startswith("hw.ipynb: not a readable notebook") and problem in notes[0]


def test_an_oversized_notebook_is_refused_before_parsing():
    source, notes = notebook_to_source(b"{" + b" " * 2000 + b"}", max_bytes=1000, name="big.ipynb")
    assert source == "" and "over the 1000 byte limit" in notes[0]


def test_nul_characters_in_code_are_refused():
    source, notes = notebook_to_source(notebook(code("x = 1\x00")))
    assert source == "" and "NUL" in notes[0]


def test_nbformat_3_worksheets_are_read():
    cell = {"cell_type": "code", "input": "def sigmoid(z): ..."}
    data = json.dumps({"nbformat": 3, "worksheets": [{"cells": [cell]}]})
    source, _ = notebook_to_source(data.encode())
    assert "def sigmoid(z)" in source


def test_defined_names_reads_top_level_definitions_without_running_anything():
    names = defined_names("def softmax(z): ...\nclass MLP: ...\nrelu = lambda x: x\nif True:\n    def hidden(): ...\n")
    assert names == {"softmax", "MLP", "relu"}


def test_defined_names_falls_back_to_def_lines_on_a_syntax_error():
    assert defined_names("def linear(X, w, b):\n    return (\nclass MLP:\n") == {"linear", "MLP"}
