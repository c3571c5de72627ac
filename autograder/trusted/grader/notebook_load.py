"""The trusted side of notebook grading: load a submission's notebooks, retry past a statement that kills the worker,
and replay the same run in every worker started later.

The worker runs each notebook cell by cell under a budget for top-level work
(``cells.py``). That budget is kept in the worker, where learner code could
defeat it, so the load request also has a hard deadline kept here. When the
worker dies or overruns it, the progress file names the statement it was
running; the load is tried again with that statement left out (and, after an
overrun, with no top-level work from there on, since the budget was spent).
Whatever the worker reports is learner-controlled data: it is checked and
capped before it becomes feedback or a plan.

A later failure (a graded call that hangs) restarts the worker; the new one runs
the notebooks again with the plan the first load ended with, before anything
else, so every test sees the same definitions. Replays repeat only the top-level
work that finished in time the first time.
"""

import json
import os
import time
from pathlib import Path

from autograder.sandboxed import cells
from autograder.shared.hints import notebooks as notebook_hints
from autograder.shared.hints import values as value_hints
from autograder.shared.notebooks import NOTEBOOK_FOLDER
from autograder.trusted.grader.remote.failures import WorkerFailure
from autograder.trusted.grader.remote.implementation import RemoteImplementation

NOTEBOOK_BUDGET = 20.0  # seconds of top-level work per notebook
RETRIES = 3  # loads tried again after a statement ended the worker


def notebook_names(files: dict[str, str]) -> dict[int, str]:
    """Notebook number -> the name the learner gave it, from the files unpack wrote (trusted data)."""
    names = {}
    for path, text in files.items():
        folder, _, stem = path.partition("/")
        if folder == NOTEBOOK_FOLDER and stem.endswith(".json") and stem[:-5].isdigit():
            names[int(stem[:-5])] = Path(json.loads(text)["name"]).name
    return names


def load(
    remote: RemoteImplementation, names: dict[int, str], call_timeout: float, budget: float, notes: list[str]
) -> dict:
    """Load the submission (notebooks first): the worker's reply; what the feedback should say goes into ``notes``.

    Raises ``WorkerFailure`` when the files could not be loaded at all.
    """
    session = remote.session
    grace = min(cells.GRACE_SECONDS, max(budget, 1.0))  # for assignments after the budget: short budget, short grace
    plan: dict = {"budget": budget, "grace": grace, "skip": [], "work_until": {}}
    timeout = call_timeout + len(names) * (budget + grace + cells.DEFINITIONS_SECONDS + 5.0)
    # A replay runs the notebooks only: a .py file that crashes when imported must not take them down with it.
    replay = ({"op": "load", "notebooks": plan, "only_notebooks": True}, timeout) if names else None
    # All the tries together get twice the first one's time, so a notebook that hangs again and again costs
    # its own points, not the time the submission's other files need.
    give_up_at = time.monotonic() + 2 * timeout
    for attempt in range(RETRIES + 1):
        try:
            reply = remote.load(plan, min(timeout, max(give_up_at - time.monotonic(), 1.0)))
        except WorkerFailure as failure:
            where = _progress(session.scratch) if names else None
            if where is None or where[0] not in names:
                session.startup = replay  # the notebooks ran; what failed was a .py file
                raise
            if attempt == RETRIES or give_up_at - time.monotonic() < min(timeout, 10.0):
                notes.append(notebook_hints.notebook_not_graded(names[where[0]], attempt + 1))
                failure.summary += notebook_hints.running_the_notebook(attempt + 1)
                raise failure from None
            number, cell, statement = where
            plan["skip"].append([number, cell, statement])
            if failure.timed_out:  # the budget was spent by then: no top-level work from there on
                plan["work_until"].setdefault(str(number), [cell, statement])
            where_in_cell = notebook_hints.cell_label(names[number], cell)
            notes.append(notebook_hints.statement_left_out(where_in_cell, statement + 1, failure.summary))
            continue
        reply = reply if isinstance(reply, dict) else {}
        notes += _stand_in_notes(reply.get("stand_ins"))
        for report in _reports(reply.get("notebooks"), names):
            notes += _report_notes(report, budget)
            if report["work_until"] is not None:
                plan["work_until"][str(report["number"])] = report["work_until"]
        session.startup = replay
        return reply
    raise AssertionError("unreachable")  # the loop returns or raises


def _progress(scratch: Path) -> tuple[int, int, int] | None:
    """(notebook, cell, statement) the worker was running, from the file it keeps (learner-writable: checked)."""
    try:
        fd = os.open(scratch / cells.PROGRESS_FILE, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        text = os.read(fd, 64).decode("ascii", errors="replace")
    except OSError:  # a folder, say, where the file was
        return None
    finally:
        os.close(fd)
    fields = text.split()
    if len(fields) != 3 or not all(f.isdigit() and len(f) < 7 for f in fields):
        return None  # "done", or nothing written: the failure was not in a notebook
    return int(fields[0]), int(fields[1]), int(fields[2])


def _reports(value, names: dict[int, str]) -> list[dict]:
    """The worker's notebook reports, keeping only well-formed fields, each capped."""
    reports = []
    for item in value[: len(names)] if isinstance(value, list) else []:
        if not isinstance(item, dict) or item.get("index") not in names:
            continue
        problems = [
            [p[0], str(p[1])[:600]]
            for p in (item.get("problems") or [])[: cells.MAX_PROBLEMS]
            if isinstance(p, list) and len(p) == 2 and _small_int(p[0])
        ]
        until = item.get("work_until")
        skipped = [c for c in (item.get("skipped_work") or [])[:10_000] if _small_int(c)]
        reports.append(
            {
                "number": item["index"],
                "name": names[item["index"]],
                "problems": problems,
                "work_until": until
                if isinstance(until, list) and len(until) == 2 and all(map(_small_int, until))
                else None,
                "skipped_work": skipped,
                "cells": item.get("cells") if _small_int(item.get("cells")) else 0,
            }
        )
    return reports


def _stand_in_notes(value) -> list[str]:
    """One note naming the display-only modules the grader lacked and stood in for (worker data: checked)."""
    names = [
        v
        for v in (value if isinstance(value, list) else [])[:50]
        if isinstance(v, str) and v.replace(".", "").replace("_", "").isalnum()
    ]
    roots = sorted({".".join(n.split(".")[:2]) if n.startswith("google.") else n.split(".")[0] for n in names})
    if not roots:
        return []
    shown = ", ".join(roots)[:300]
    return [notebook_hints.stand_ins_used(shown, tqdm="tqdm" in roots)]


def _small_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**6


def _report_notes(report: dict, budget: float) -> list[str]:
    name = report["name"]
    notes = [value_hints.about(notebook_hints.cell_label(name, cell), problem) for cell, problem in report["problems"]]
    if report["skipped_work"]:
        shown = ", ".join(str(c) for c in report["skipped_work"][:20])
        if len(report["skipped_work"]) > 20:
            shown += value_hints.more_not_shown(len(report["skipped_work"]) - 20)
        notes.append(notebook_hints.top_level_work_skipped(name, budget, shown))
    failed = len({cell for cell, _ in report["problems"]})
    notes.insert(0, notebook_hints.ran_cells(name, report["cells"], failed))
    return notes
