"""Running a submission's notebooks in the sandboxed worker, cell by cell, as "Restart & Run All" does.

Runs only in the worker (``worker.py``), like every other line of learner code.
It follows what Jupyter does when a notebook is restarted and run with errors
allowed, the way nbgrader runs one: every code cell in order, in one namespace,
and a cell that fails is reported and the next one runs. Differences, each in
the learner's favour and none able to make wrong code pass:

- a cell is compiled whole (a syntax error means none of it runs), then run
  statement by statement; an ``import`` that fails is reported and the cell
  goes on, so the rest of an import cell still counts; any other exception
  stops the cell there, as in Jupyter (display-only modules the grader lacks
  get stand-ins, see ``stand_ins.py``);
- top-level work (training loops, plots, prints, calls, assignments) shares
  one time budget per notebook. When it runs out, the statement running is
  stopped and later top-level work is not run, but definitions (``def``,
  ``class``, ``import``) still are, and assignments while a short grace lasts:
  grading goes on with every function the notebook defines. Definitions spend
  no budget; they have allowances of their own.

The budget is kept with an interval alarm (SIGALRM) that raises ``OutOfTime``
in the statement. Learner code can defeat an in-process alarm (ignore the
signal, swallow the exception); then the trusted side's deadline kills the
worker, and the progress file written before each statement tells it which
statement to leave out when it loads the notebook again (``notebook_load.py``).
Either way the cost falls on the notebook's own top-level work.

The namespace is a module named under the part's private package, so the
loader treats what it defines as learner objects: the course API is found by
name, guarded, recorded and checked exactly as for ``.py`` files.
"""

import ast
import json
import linecache
import os
import signal
import sys
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandboxed.loader import Implementation
from autograder.shared.api import PARTS
from autograder.shared.hints import notebooks as notebook_hints
from autograder.shared.notebooks import NOTEBOOK_FOLDER

PROGRESS_FILE = ".notebook-progress"  # "<notebook> <cell> <statement>" of the statement running, or "done"
# Definitions (def, class, import) do not spend the budget; they have allowances of their own.
DEFINITION_SECONDS = 10.0  # one definition (importing matplotlib takes a second or two)
DEFINITIONS_SECONDS = 20.0  # all the definitions of one notebook
ASSIGNMENT_SECONDS = 2.0  # one assignment once the budget is spent
GRACE_SECONDS = 10.0  # at most: all the assignments once the budget is spent
MAX_PROBLEMS = 200  # cells reported per notebook


class OutOfTime(BaseException):
    """Raised by the alarm in a statement that overran its allowance (``except Exception`` does not catch it)."""


@dataclass
class Plan:
    """How to run one notebook: its budget, and what earlier workers learned about it."""

    budget: float  # seconds of top-level work
    grace: float = GRACE_SECONDS  # seconds for the assignments met once the budget is spent
    skip: set[tuple[int, int]] = field(default_factory=set)  # (cell, statement) that ended a worker: not run again
    work_until: tuple[int, int] | None = None  # top-level work from this (cell, statement) on is not run


@dataclass
class Report:
    """What happened to one notebook, sent to the trusted side (and turned into feedback there)."""

    index: int  # the notebook's number: _notebooks/<index>.json
    name: str
    problems: list[list] = field(default_factory=list)  # [cell, "what went wrong"], in order
    work_until: list[int] | None = None  # where the budget ran out: the replay of a restarted worker stops there too
    skipped_work: list[int] = field(default_factory=list)  # cells whose top-level work was not run (budget spent)
    cells: int = 0
    seconds: float = 0.0


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)


def display(*objects, **_options) -> None:
    """IPython's ``display`` outside IPython: shown as text in the capped output (never to the grader)."""
    print(*(repr(o) for o in objects))


class _Alarm:
    """An interval timer that raises ``OutOfTime`` in the statement it guards, and only there."""

    def __init__(self):
        self.armed = False

    def _ring(self, signum, frame) -> None:
        if self.armed:
            raise OutOfTime

    def run(self, code: types.CodeType, namespace: dict, seconds: float) -> BaseException | None:
        previous = signal.signal(signal.SIGALRM, self._ring)
        try:
            try:
                self.armed = True
                # It rings again every quarter second, so one swallowed OutOfTime is not enough to escape it.
                signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), 0.25)
                exec(code, namespace)  # noqa: S102 - learner code, in the sandboxed worker only
            finally:
                self.armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        except BaseException as error:  # noqa: BLE001 - whatever the cell raised is reported, never re-raised
            return error
        finally:
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        return None


class _Progress:
    """The statement about to run, written where the trusted side can read it if the worker dies."""

    def __init__(self, scratch: Path):
        try:
            self.fd = os.open(scratch / PROGRESS_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        except OSError:
            self.fd = -1

    def write(self, text: str) -> None:
        try:
            os.pwrite(self.fd, text.ljust(40).encode(), 0)
        except OSError:
            pass  # learner code closed it: then only its own notebook can be misjudged


def _compile_cell(source: str, filename: str, flags: int) -> tuple[list[tuple[ast.stmt, types.CodeType]], int]:
    """Each top-level statement of a cell with its code, and the ``__future__`` flags in force after the cell."""
    compiled = []
    for statement in ast.parse(source, filename).body:
        code = compile(ast.Module(body=[statement], type_ignores=[]), filename, "exec", flags=flags, dont_inherit=True)
        compiled.append((statement, code))
        flags |= _future_flags(statement)
    return compiled, flags


def _future_flags(statement: ast.stmt) -> int:
    if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
        import __future__

        return sum(getattr(__future__, alias.name).compiler_flag for alias in statement.names)
    return 0


def _describe(error: BaseException, line: int) -> str:
    message = " ".join(str(error).split())[:200]
    return notebook_hints.statement_raised(line, type(error).__name__, message, read_input=isinstance(error, EOFError))


def run_notebook(index: int, cells: list, namespace: dict, label: str, plan: Plan, progress: _Progress,
                 root: Path) -> Report:  # fmt: skip
    """Run ``cells`` ([number, source] pairs) in ``namespace`` under ``plan``; what went wrong, cell by cell.

    Code is compiled as ``<root>/<label> cell <n>``: under the learner's root, so hints name the cell and line.
    """
    report = Report(index, label)
    alarm = _Alarm()
    started = time.monotonic()
    spent, grace_left, definitions_left = 0.0, plan.grace, DEFINITIONS_SECONDS
    work_until = plan.work_until
    flags = 0  # __future__ imports seen so far apply to every later statement
    for number, source in cells:
        report.cells += 1
        filename = str(root / notebook_hints.cell_label(label, number))
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # tracebacks show lines
        problems: list[str] = []
        try:
            # Compiled whole before any of it runs, as IPython does: 'return' or 'break' at top level is caught here.
            statements, flags = _compile_cell(source, filename, flags)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            line = error.lineno if isinstance(error, SyntaxError) else None
            problems.append(notebook_hints.cell_not_compiled(type(error).__name__, getattr(error, "msg", error), line))
            statements = []
        for i, (statement, code) in enumerate(statements):
            position = (number, i)
            if position in plan.skip:
                problems.append(notebook_hints.statement_skipped(statement.lineno))
                break
            definition = isinstance(statement, DEFINITIONS)
            in_budget = spent < plan.budget and (work_until is None or position < work_until)
            if definition and definitions_left <= 0:
                problems.append(notebook_hints.definitions_out_of_time(statement.lineno, DEFINITIONS_SECONDS))
                break
            if definition:
                seconds = min(DEFINITION_SECONDS, definitions_left)
            elif in_budget:
                seconds = plan.budget - spent
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and grace_left > 0:
                seconds = min(ASSIGNMENT_SECONDS, grace_left)
            else:
                if work_until is None:
                    work_until = position  # the budget is spent: no more top-level work from here on
                if number not in report.skipped_work:
                    report.skipped_work.append(number)
                continue
            progress.write(f"{index} {number} {i}")
            begun = time.monotonic()
            error = alarm.run(code, namespace, seconds)
            elapsed = time.monotonic() - begun
            if definition:
                definitions_left -= elapsed
            elif in_budget:
                spent += elapsed
            else:
                grace_left -= elapsed
            if error is None:
                continue
            if isinstance(error, OutOfTime) and definition:
                problems.append(notebook_hints.definition_too_slow(statement.lineno, seconds))
                break
            elif isinstance(error, OutOfTime) and in_budget:
                work_until = position
                problems.append(notebook_hints.top_level_budget_ran_out(statement.lineno, plan.budget))
            elif isinstance(error, OutOfTime):
                problems.append(notebook_hints.stopped_after(statement.lineno, seconds))
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                problems.append(notebook_hints.import_went_on(_describe(error, statement.lineno)))
            else:
                problems.append(notebook_hints.rest_of_cell_not_run(_describe(error, statement.lineno)))
                break
        if problems and len(report.problems) < MAX_PROBLEMS:
            report.problems.append([number, "; ".join(problems)[:600]])
    report.work_until = list(work_until) if work_until is not None else None
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _plan(options: dict, index: int) -> Plan:
    """The plan for notebook ``index`` from the load request (already checked by the trusted side)."""
    skip = {(int(c), int(s)) for n, c, s in options.get("skip", []) if int(n) == index}
    until = options.get("work_until", {}).get(str(index))
    budget, grace = float(options.get("budget", 20.0)), float(options.get("grace", GRACE_SECONDS))
    return Plan(budget, grace, skip, (int(until[0]), int(until[1])) if until else None)


def run_notebooks(impl: Implementation, scratch: Path, options: dict) -> tuple[list[dict], set[int]]:
    """Run every notebook of the submission into its own namespace and serve its parts' names from it.

    Returns the reports (plain data, for the load reply) and the parts the notebooks stand in for.
    """
    folder = scratch / NOTEBOOK_FOLDER
    paths = [p for p in folder.glob("*.json") if p.stem.isdigit()] if folder.is_dir() else []
    if not paths:
        return [], set()
    progress = _Progress(scratch)
    reports, parts_served = [], set()
    for path in sorted(paths, key=lambda p: int(p.stem)):
        index = int(path.stem)
        spec = json.loads(path.read_text())
        parts = {int(n): stems for n, stems in spec["parts"].items() if int(n) in PARTS}
        if not parts:
            continue
        label = Path(str(spec["name"])).name
        package = impl.package_name(min(parts))
        module = types.ModuleType(f"{package}._notebook{index}", f"the cells of {label}")
        module.__package__ = package
        module.display = display
        sys.modules[module.__name__] = module  # dataclasses and pickling look classes up here
        plan = _plan(options, index)
        report = run_notebook(index, spec["cells"], module.__dict__, label, plan, progress, impl.root)
        for number, stems in parts.items():
            for stem in stems:
                if stem in PARTS[number].files:
                    impl.provide(number, stem, module, notebook_hints.notebook_file_label(label))
            parts_served.add(number)
        reports.append(report.__dict__)
    progress.write("done")
    return reports, parts_served
