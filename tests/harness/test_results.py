"""One result object for make test and grading: frozen, saved and read back whole, rendered with one set of tags."""

import dataclasses
import json

import pytest

from autograder.trusted.harness.render import gradescope_results
from autograder.trusted.harness.results import Outcome, SubmissionResult
from autograder.trusted.harness.scoring import scored_test, scored_tests


def graded() -> SubmissionResult:
    runs = [
        Outcome("t::a", "softmax: a", "softmax", 4, "public", "passed", "cpu", "passed"),
        Outcome("t::a", "softmax: a", "softmax", 4, "public", "failed", "cuda", "wrong_value", "off", "shift", "1, 2"),
        Outcome("t::b", "linear: b", "linear", 2, "hidden", "skipped", "mps", "skipped", "mps is not available"),
    ]
    return SubmissionResult("ann", tuple(scored_tests(runs)), seconds=1.5, notes=("ignored x.txt",), lms={"lms": "x"})


def test_a_result_read_back_from_its_state_file_is_the_same_result():
    result = graded()
    assert SubmissionResult.from_json(json.loads(json.dumps(result.to_json()))) == result
    assert result.parts == {1: (2.0, 4.0)} and result.score == 2.0


def test_results_are_built_once_and_never_changed():
    result = graded()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.notes = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.tests[0].output = ""  # type: ignore[misc]


def test_every_line_of_results_json_names_its_api_part_suite_and_test_key():
    entries = gradescope_results(graded())["tests"]
    assert [e["tags"] for e in entries] == [["softmax", "part1", "public"], ["linear", "part1", "hidden"]]
    assert [e["extra_data"]["key"] for e in entries] == ["t::a", "t::b"]


def test_a_hidden_test_keeps_no_evidence_in_its_runs_and_a_public_one_keeps_it():
    evidence = "expected: 0.731059\ngot: 0.5"
    for suite, kept in (("hidden", ""), ("public", evidence)):
        run = Outcome(
            "t::x", "softmax: x", "softmax", 1.0, suite, "failed", "cpu", "wrong_value", "wrong values", "", evidence
        )
        test = scored_test([run])
        assert [o.values for o in test.outcomes] == [kept]
        assert ("0.731059" in json.dumps(test.to_json())) == (suite == "public")  # what the state file saves
