"""otter-grader round trip: a generated master notebook through ``otter assign`` and ``otter run`` (no Docker).

The otter tests are generated calls into our suites, never copies of tests: the solution notebook must get
full marks and the student notebook zero.
"""

import pytest

from autograder.build import otter_assign

APIS = ["softmax", "xor_features"]  # keeps `make check` short; `make otter` grades every question


def test_master_notebook_has_questions_solutions_and_generated_tests():
    points = {name: 2.0 for name in otter_assign.PARTS[1].api_names}
    cells = otter_assign.master_notebook(1, points, APIS)["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert sources[0].startswith("# ASSIGNMENT CONFIG")
    assert sum(s.startswith("# BEGIN QUESTION") for s in sources) == 2  # probabilities.py and features.py
    tests = [s for s in sources if "check_api(" in s]
    assert sorted(t.split('"')[1] for t in tests) == sorted(APIS)
    assert not any("assert_close" in s or "allclose" in s for s in tests)


def test_roundtrip_solution_full_marks_student_zero(tmp_path):
    pytest.importorskip("otter")
    results = otter_assign.roundtrip(tmp_path / "otter", 1, APIS)
    score, top = otter_assign.total(results["reference"])
    assert top > 0 and score == top, results["reference"]
    score, top = otter_assign.total(results["stub"])
    assert top > 0 and score == 0, results["stub"]
