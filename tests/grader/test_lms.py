"""Gradebook files: our scores go into the instructor's own Canvas or Moodle export, matched on LMS ids only."""

import csv
from pathlib import Path

import pytest

from autograder.trusted.grader.lms import write_canvas_csv, write_moodle_csv
from autograder.trusted.harness.results import ScoredTest, SubmissionResult


def result(submission: str, score: float, max_score: float = 10.0, error: str = "", **lms: str) -> SubmissionResult:
    status = "passed" if score == max_score else "failed"
    test = ScoredTest("t::linear", "linear: a test", "linear", "public", max_score, status, score, status, status)
    return SubmissionResult(submission, (test,), error=error, lms=dict(lms))


def read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


CANVAS = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Quiz 1 (111)", "Homework 2 (222)", "Current Score"],
    ["    Points Possible", "", "", "", "", "5.00", "10.00", "(read only)"],
    ["Doe, Jane", "12345", "s1", "jdoe", "A", "4", "", "80"],
    ["Roe, John", "777", "s2", "jroe", "A", "3", "9", "60"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_canvas_scores_go_to_the_learner_with_that_user_id_and_nothing_else_changes(tmp_path):
    gradebook = write_csv(tmp_path / "gradebook.csv", CANVAS)
    rows = [result("doejane_12345", 7.5, lms="canvas", user_id="12345", name="doejane")]
    warnings = write_canvas_csv(rows, gradebook, tmp_path / "out.csv", assignment="Homework 2")
    out = read(tmp_path / "out.csv")
    assert out[2] == ["Doe, Jane", "12345", "s1", "jdoe", "A", "4", "7.5", "80"]
    assert out[:2] == CANVAS[:2] and out[3] == CANVAS[3]
    assert warnings == []


def test_canvas_column_defaults_to_the_first_assignment_and_scales_to_points_possible(tmp_path):
    gradebook = write_csv(tmp_path / "gradebook.csv", CANVAS)
    rows = [result("roejohn_777", 8, lms="canvas", user_id="777")]
    warnings = write_canvas_csv(rows, gradebook, tmp_path / "out.csv")
    assert read(tmp_path / "out.csv")[3][5] == "4"  # 8 of our 10 is 4 of Quiz 1's 5 points
    assert any("scaled" in w for w in warnings)


def test_canvas_warns_about_learners_it_cannot_place(tmp_path):
    gradebook = write_csv(tmp_path / "gradebook.csv", CANVAS)
    rows = [
        result("ghost_999", 5, lms="canvas", user_id="999"),
        result("alice", 5),  # graded from a plain folder: no Canvas id
        result("doejane_12345", 0, error="refused: zip bomb", lms="canvas", user_id="12345"),
    ]
    warnings = write_canvas_csv(rows, gradebook, tmp_path / "out.csv", assignment="Homework")
    text = "\n".join(warnings)
    assert "ghost_999" in text and "999 is not in gradebook.csv" in text
    assert "alice: no Canvas id" in text
    assert "graded with an error" in text
    assert read(tmp_path / "out.csv")[2][6] == "0"


def test_canvas_assignment_must_name_exactly_one_column(tmp_path):
    gradebook = write_csv(tmp_path / "gradebook.csv", CANVAS)
    with pytest.raises(ValueError, match="exactly one column"):
        write_canvas_csv([], gradebook, tmp_path / "out.csv", assignment="(")


MOODLE = [
    ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade", "Grade can be changed",
     "Last modified (submission)", "Last modified (grade)", "Feedback comments"],
    ["Participant 4242", "Jane Doe", "jane@example.org", "Submitted", "", "10.00", "Yes", "", "", ""],
    ["Participant 77", "John Roe", "john@example.org", "Submitted", "", "10.00", "Yes", "", "", "See me"],
    ["Participant 5", "Ann Other", "ann@example.org", "No submission", "", "10.00", "Yes", "", "", ""],
]  # fmt: skip


def test_moodle_grades_go_to_the_participant_and_empty_feedback_is_filled(tmp_path):
    worksheet = write_csv(tmp_path / "worksheet.csv", MOODLE)
    rows = [
        result("Jane_Doe_4242", 9.25, lms="moodle", participant_id="4242", full_name="Jane Doe"),
        result("John_Roe_77", 6, lms="moodle", participant_id="77", full_name="John Roe"),
        result("Nobody_31", 6, lms="moodle", participant_id="31", full_name="Nobody"),
    ]
    warnings = write_moodle_csv(rows, worksheet, tmp_path / "out.csv")
    out = read(tmp_path / "out.csv")
    assert out[0] == MOODLE[0] and out[3] == MOODLE[3]
    assert out[1][4] == "9.25" and out[1][9].startswith("Autograded: 9.25/10")
    assert out[2][4] == "6" and out[2][9] == "See me"  # the instructor's own feedback is kept
    assert warnings == ["Nobody_31: Moodle participant id 31 is not in worksheet.csv, not written"]


def test_a_byte_order_mark_in_the_export_is_kept(tmp_path):
    worksheet = tmp_path / "worksheet.csv"
    worksheet.write_bytes(b"\xef\xbb\xbf" + write_csv(tmp_path / "plain.csv", MOODLE).read_bytes())
    write_moodle_csv([result("x", 1, participant_id="5")], worksheet, tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfIdentifier,")
    assert read(tmp_path / "out.csv")[3][4] == "1"
