"""The words of grading a notebook: converting it, running it cell by cell, and what that came to.

The learner reads them as notes on a notebook submission: why a notebook was not
readable, which IPython lines and magics were left out, what each statement met
when its cell ran, and a summary of the run. Imported by both sides:
``shared/notebooks.py`` (converting), the sandboxed ``cells.py`` (running) and the
trusted ``notebook_load.py`` (the notes).
"""

from autograder.shared.hints.values import on_line


def cell_label(notebook: str, number: int) -> str:
    """'model.ipynb cell 3': how a cell is named in notes and in the learner's tracebacks."""
    return f"{notebook} cell {number}"


def notebook_file_label(notebook: str) -> str:
    """How a notebook standing in for a course file is named ('model.ipynb (notebook) defines no ...')."""
    return f"{notebook} (notebook)"


def notebook_too_big(name: str, size: int, limit: int) -> str:
    return f"{name}: refused, {size} bytes is over the {limit} byte limit for notebooks"


def unreadable_notebook(name: str, problem: object) -> str:
    return f"{name}: not a readable notebook ({problem})"


def notebook_has_nul(name: str) -> str:
    return f"{name}: refused, its code contains NUL characters"


# Why a notebook's JSON is not readable (in ``unreadable_notebook``).


JSON_TOO_DEEP = "JSON nested too deeply"
NOT_A_JSON_OBJECT = "the top level is not a JSON object"
WORKSHEETS_NOT_OBJECTS = "'worksheets' is not a list of objects"


def notebook_not_utf8(byte: int) -> str:
    return f"not UTF-8 at byte {byte}"


def invalid_json(problem: object) -> str:
    return f"invalid JSON: {problem}"


def unsupported_nbformat(version: object) -> str:
    return f"unsupported nbformat {version!r}"


def cell_not_an_object(number: int) -> str:
    return f"cell {number} is not an object"


def cell_without_type(number: int) -> str:
    return f"cell {number} has no cell_type string"


def not_a_list(what: str) -> str:
    return f"{what!r} is not a list"


def cell_source_malformed(number: int) -> str:
    return f"cell {number} has a source that is neither a string nor a list of strings"


# What converting a cell left out or changed.
IPYTHON_LINE_LEFT_OUT = "an IPython-only line left out"  # counted, then said once per notebook


def ipython_lines_left_out(name: str, count: int) -> str:
    return f"{name}: left out {count} IPython-only lines (such as %matplotlib inline)"


def writefile_run_as_cell(file: str) -> str:
    return f"ran the code of %%writefile {file} as a cell (no file is written)"


def cell_magic_not_run(magic: str) -> str:
    return f"a %%{magic} cell, which the grader does not run"


def shell_command_not_run(shown: str) -> str:
    return f"shell command not run: {shown}"


def needs_ipython(shown: str) -> str:
    """The error a line assigned from a magic or shell command raises when its cell runs."""
    return f"{shown!r} needs IPython (the output of a magic or shell command)"


def magic_not_run(name: str) -> str:
    """The error a line magic the grader cannot run raises when its cell runs."""
    return f"%{name} is a magic the grader does not run"


# What running a cell met, statement by statement.


def cell_not_compiled(error_type: str, message: object, line: int | None = None) -> str:
    return f"{error_type}: {message}{on_line(line)}; the cell was not run"


def statement_skipped(line: int) -> str:
    return f"line {line}: not run, it ended the grader's worker when it ran before"


def definitions_out_of_time(line: int, seconds: float) -> str:
    return f"line {line}: not run, definitions took their {seconds:g} s"


def definition_too_slow(line: int, seconds: float) -> str:
    return f"line {line}: stopped, a definition may take {seconds:.3g} s at most"


def top_level_budget_ran_out(line: int, budget: float) -> str:
    return (
        f"line {line}: stopped, the notebook's {budget:g} s budget for top-level work "
        "(training, plots, prints) ran out here; its definitions, and later cells', were still made"
    )


def stopped_after(line: int, seconds: float) -> str:
    return f"line {line}: stopped after {seconds:.3g} s (the budget was spent)"


def statement_raised(line: int, error_type: str, message: str, read_input: bool = False) -> str:
    """``read_input``: the statement called input(), which gets no answer in the grader."""
    hint = " (input() gets no answer in the grader)" if read_input else ""
    return f"line {line}: {error_type}: {message}{hint}".rstrip(": ")


def import_went_on(raised: str) -> str:
    """An import statement raised: the cell goes on without it."""
    return f"{raised}; the grader lacks it, the cell went on"


def rest_of_cell_not_run(raised: str) -> str:
    return f"{raised}; the rest of the cell was not run"


# What grading a notebook came to (the notes of notebook_load.py).


def notebook_not_graded(name: str, times: int) -> str:
    return f"{name}: not graded, it ended the grader's worker {times} times"


def running_the_notebook(times: int) -> str:
    """Appended to the summary of the worker failure that ended the notebook's last run."""
    return f" (running the notebook, {times} times)"


def statement_left_out(cell: str, statement: int, failure: str) -> str:
    """``cell`` is a ``cell_label``; ``statement`` counts from 1."""
    return (
        f"{cell}: statement {statement} of the cell ended the grader's worker "
        f"({failure}); it was left out and the notebook was run again"
    )


def stand_ins_used(modules: str, tqdm: bool) -> str:
    """Display-only modules the grader lacks were replaced by stand-ins that show nothing."""
    passes = " (tqdm's progress bars pass their items through)" if tqdm else ""
    return f"the grader has no {modules}: stand-ins that show nothing were used{passes}"


def top_level_work_skipped(name: str, budget: float, cells: str) -> str:
    return (
        f"{name}: the {budget:g} s budget for top-level work was spent, so the top-level work of cells "
        f"{cells} was not run (their definitions were made and graded)"
    )


def ran_cells(name: str, cells: int, failed: int) -> str:
    summary = f"{name}: ran {cells} code cells in order"
    return summary + (f"; {failed} had problems (listed below), the others were graded" if failed else "")
