"""Which notebook stands in for which part's files: the one that defines most of that part's names.

Trusted side: the cells are read as data (``autograder/shared/notebooks.py``);
the worker runs them later, cell by cell.
"""

import json

from autograder.shared import notebooks
from autograder.shared.api import PARTS
from autograder.shared.hints import unpack as unpack_hints
from autograder.shared.notebooks import NOTEBOOK_FOLDER
from autograder.trusted.grader.unpack.names import COURSE_PATHS
from autograder.trusted.grader.unpack.uploads import Found, latest


def add_notebooks(found: list[Found], files: dict[str, str], notes: list[str]) -> None:
    """Each part's files that no .py covers come from the notebook defining most of that part's names.

    One notebook may serve one part or several (a single notebook for the whole
    course). Each notebook used is written as ``_notebooks/<n>.json``: its name,
    the course files it stands in for, and its cells, which the worker runs in
    order (see ``cells.py``).
    """
    readable: list[tuple[Found, list[notebooks.Cell], set[str]]] = []
    for stem in sorted({item.stem for item in found}):
        item = latest([f for f in found if f.stem == stem], unpack_hints.notebook_label(stem), notes)
        cells, conversion_notes = notebooks.notebook_cells(item.data, len(item.data) + 1, item.where)
        notes.extend(conversion_notes)
        names = notebooks.cells_defined_names(cells)
        if cells and not any(names & set(part.api_names) for part in PARTS.values()):
            notes.append(unpack_hints.notebook_defines_nothing(item.where))
        elif cells:
            readable.append((item, cells, names))
    serves: dict[int, dict[int, list[str]]] = {}  # notebook (index in readable) -> part -> stems it stands in for
    for number, part in PARTS.items():
        counts = [
            (len(names & set(part.api_names)), item.order, index) for index, (item, _, names) in enumerate(readable)
        ]
        counts = [c for c in counts if c[0]]
        if not counts:
            continue
        _, _, index = max(counts)
        where = readable[index][0].where
        missing = [stem for stem in part.files if COURSE_PATHS[stem] not in files]
        submitted = [COURSE_PATHS[stem] for stem in part.files if COURSE_PATHS[stem] in files]
        if not missing:
            notes.append(unpack_hints.notebook_not_used(where, part.folder))
            continue
        serves.setdefault(index, {})[number] = missing
        notes.append(unpack_hints.notebook_graded_for(where, part.folder, missing))
        if submitted:
            notes.append(unpack_hints.py_files_win(where, submitted))
    for written, (index, parts) in enumerate(sorted(serves.items()), start=1):
        item, cells, _ = readable[index]
        spec = {
            "name": item.where,
            "parts": {str(number): stems for number, stems in parts.items()},
            "cells": [[cell.number, cell.source] for cell in cells if cell.run],
        }
        files[f"{NOTEBOOK_FOLDER}/{written}.json"] = json.dumps(spec)
