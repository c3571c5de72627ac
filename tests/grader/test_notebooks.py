"""Notebooks as source: code cells only, IPython syntax removed, malformed notebooks reported rather than crashing."""

import ast
import json

import pytest

from autograder.shared.notebooks import cells_defined_names, defined_names, notebook_cells, notebook_to_source


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


def test_harmless_magics_help_and_get_ipython_are_left_out_and_counted():
    data = notebook(code("%matplotlib inline\nsoftmax?\n%load_ext autoreload\nimport torch"),
                    code("get_ipython().run_line_magic('config', 'x')\ny = 2"))  # fmt: skip
    cells, notes = notebook_cells(data, name="hw.ipynb")
    for left_out in ("%matplotlib", "softmax?", "%load_ext", "get_ipython"):
        assert all(left_out not in cell.source for cell in cells)
    assert "import torch" in cells[0].source and "y = 2" in cells[1].source
    assert notes == ["hw.ipynb: left out 4 IPython-only lines (such as %matplotlib inline)"]


def test_line_numbers_stay_those_of_the_learners_cell():
    [cell], _ = notebook_cells(notebook(code("%matplotlib inline\n!pip install tqdm\nx = 1\n")))
    assert cell.source.split("\n")[2] == "x = 1"


def test_a_shell_command_is_left_out_with_a_note_naming_the_cell():
    cells, notes = notebook_cells(notebook(code("x = 0"), code("!pip install tqdm\nimport torch")), name="hw.ipynb")
    assert "!pip" not in cells[1].source and "import torch" in cells[1].source
    assert "hw.ipynb cell 2: shell command not run: !pip install tqdm" in notes


def test_time_keeps_its_statement_and_an_unknown_magic_stops_the_cell_where_it_stands():
    [cell], _ = notebook_cells(notebook(code("a = 1\n%time b = 2\n%frobnicate now\nc = 3\nfiles = !ls")))
    tree = ast.parse(cell.source)
    assert [type(node).__name__ for node in tree.body] == ["Assign", "Assign", "Raise", "Assign", "Raise"]
    assert "%frobnicate" in cell.source.split("\n")[2] and "c = 3" in cell.source


def test_a_magic_inside_a_block_becomes_pass_so_the_block_stays_valid():
    source, _ = notebook_to_source(notebook(code("for i in range(3):\n    %matplotlib inline\nz = 1")))
    tree = ast.parse(source)
    assert isinstance(tree.body[0].body[0], ast.Pass)


def test_python_cell_magics_keep_their_body_and_other_cell_magics_are_not_run():
    cells, notes = notebook_cells(
        notebook(code("%%time\nslow = 1"), code("# comment\n%%bash\nrm -rf /"), code("a = 1"))
    )
    assert cells[0].run and "slow = 1" in cells[0].source and "%%" not in cells[0].source
    assert not cells[1].run and "rm -rf" not in cells[1].source
    assert any("cell 2: a %%bash cell" in note for note in notes)


def test_the_code_of_a_writefile_py_cell_runs_as_a_cell_and_other_files_are_not_written():
    cells, notes = notebook_cells(notebook(code("%%writefile linear.py\ndef linear(X, w, b):\n    return X @ w + b"),
                                           code("%%writefile data.csv\n1,2,3")), name="hw.ipynb")  # fmt: skip
    assert cells[0].run and "def linear" in cells[0].source and "%%" not in cells[0].source
    assert not cells[1].run and "hw.ipynb cell 1: ran the code of %%writefile linear.py as a cell" in notes[0]


def test_windows_line_endings_become_plain_newlines():
    [cell], _ = notebook_cells(notebook(code(["def f(x):\r\n", "    return x\r\n", "%matplotlib inline\r\n"])))
    assert "\r" not in cell.source
    ast.parse(cell.source)


def test_magic_looking_lines_inside_a_triple_quoted_string_are_kept():
    cell = 'DOC = """\n%d percent\n!important\n"""\n%matplotlib inline\nDONE = True'
    source, _ = notebook_to_source(notebook(code(cell)))
    assert "%d percent\n!important" in source and "%matplotlib" not in source
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


def test_names_are_read_cell_by_cell_so_a_syntax_error_costs_only_its_cell():
    cells, _ = notebook_cells(
        notebook(code("def linear(X, w, b):\n    return ("), code("softmax = 1\ndef sigmoid(z): ..."))
    )
    assert cells_defined_names(cells) == {"linear", "softmax", "sigmoid"}
