"""nbgrader round trip: generate_assignment, zip_collect from an LMS zip, our sandboxed grader, gradebook export.

A reference-filled notebook must get full marks and the released (stub) notebook zero, both in what our
grader returns and in the CSV that ``nbgrader export`` reads back from ``gradebook.db``.
"""

import csv
import json

import pytest

from autograder.build import nbgrader_course

APIS = ["softmax", "xor_features"]  # two files' worth, to keep `make check` short; `make nbgrader` grades all


def test_solution_cells_carry_nbgrader_markers_and_tests_call_the_suite(tmp_path):
    points = {"softmax": 8.0, "sigmoid": 4.0, "log_softmax": 4.0, "xor_features": 8.0}
    points |= {name: 1.0 for name in nbgrader_course.PARTS[1].api_names if name not in points}
    notebook = nbgrader_course.source_notebook(1, points)
    cells = notebook["cells"]
    solutions = [c for c in cells if c["metadata"].get("nbgrader", {}).get("solution")]
    tests = [c for c in cells if c["metadata"].get("nbgrader", {}).get("grade")]
    assert len(solutions) == len(nbgrader_course.PARTS[1].files)
    assert all("### BEGIN SOLUTION" in c["source"] and "from ." not in c["source"] for c in solutions)
    assert len(tests) == len(nbgrader_course.PARTS[1].api_names)
    assert all(c["metadata"]["nbgrader"]["locked"] and "grade_namespace" in c["source"] for c in tests)
    assert all("assert " in c["source"] and "torch.allclose" not in c["source"] for c in tests)


def test_only_solution_cells_reach_the_grader():
    notebook = {"cells": [
        {"cell_type": "code", "source": "def f(): pass", "metadata": {"nbgrader": {"solution": True}}},
        {"cell_type": "code", "source": "import os", "metadata": {"nbgrader": {"grade": True}}},
        {"cell_type": "code", "source": "x = 1", "metadata": {}},
    ]}  # fmt: skip
    kept = json.loads(nbgrader_course.solution_cells_only(json.dumps(notebook).encode()))["cells"]
    assert [c["source"] for c in kept] == ["def f(): pass"]


def test_roundtrip_reference_full_marks_stub_zero(tmp_path):
    pytest.importorskip("nbgrader")
    out = tmp_path / "course"
    scores = nbgrader_course.roundtrip(out, 1, APIS)
    assert set(scores) == {"refjane", "stubjoe"}
    assert (out / "submitted" / "refjane" / "part1" / "part1.ipynb").is_file()  # zip_collect put it there
    assert set(scores["refjane"]) == set(APIS) and all(v > 0 for v in scores["refjane"].values())
    assert sum(scores["stubjoe"].values()) == 0
    rows = {row["student_id"]: row for row in csv.DictReader((out / "grades.csv").open())}
    full = sum(scores["refjane"].values())
    assert float(rows["refjane"]["raw_score"]) == pytest.approx(full)
    assert float(rows["stubjoe"]["raw_score"]) == 0.0
