"""Gradebook files for Canvas and Moodle, filled in from our results.

The instructor exports the LMS's own gradebook (Canvas) or grading worksheet
(Moodle) and hands it to us; we copy it row for row and column for column,
writing our scores only into the rows of learners we graded, so the file
imports back as is. Learners are matched on the numeric id the LMS put in the
download's file names (Canvas user id, Moodle participant id), never on names.
The formats come from community knowledge, so the column names live in the
constants below.
"""

import csv
import os
import re
from pathlib import Path

from autograder.trusted.harness.results import SubmissionResult

CANVAS_ID_COLUMN = "ID"
CANVAS_POINTS_ROW = "Points Possible"
CANVAS_ASSIGNMENT = re.compile(r"^(?P<name>.+) \((?P<id>\d+)\)$")
MOODLE_IDENTIFIER = "Identifier"
MOODLE_PARTICIPANT = re.compile(r"^\s*Participant\s+(?P<id>\d+)\s*$", re.IGNORECASE)
MOODLE_GRADE = "Grade"
MOODLE_MAX_GRADE = "Maximum Grade"
MOODLE_FEEDBACK = "Feedback comments"


def write_canvas_csv(
    rows: list[SubmissionResult], gradebook_csv: Path, out: Path, assignment: str | None = None
) -> list[str]:
    """Write ``out``: the Canvas gradebook export with our scores in one assignment column; returns warnings."""
    header, body, bom = _read_csv(gradebook_csv)
    id_column = _column(header, CANVAS_ID_COLUMN, gradebook_csv)
    column = _canvas_assignment_column(header, assignment, gradebook_csv)
    warnings: list[str] = []
    scores = _scores_by_learner(rows, ("user_id", "canvas_user_id"), "canvas", warnings)
    points = _canvas_points_possible(body, column)
    written: set[str] = set()
    for row in body:
        learner = _cell(row, id_column).strip()
        if learner in scores:
            _set(row, column, _format(_scaled(scores[learner], points, warnings, header[column])))
            written.add(learner)
    _warn_unmatched(scores, written, "Canvas user id", gradebook_csv, warnings)
    _write_csv(out, header, body, bom)
    return warnings


def write_moodle_csv(rows: list[SubmissionResult], worksheet_csv: Path, out: Path) -> list[str]:
    """Write ``out``: the Moodle grading worksheet with our grades (and empty feedback filled); returns warnings."""
    header, body, bom = _read_csv(worksheet_csv)
    id_column = _column(header, MOODLE_IDENTIFIER, worksheet_csv)
    grade_column = _column(header, MOODLE_GRADE, worksheet_csv)
    max_column = _optional_column(header, MOODLE_MAX_GRADE)
    feedback_column = _optional_column(header, MOODLE_FEEDBACK)
    warnings: list[str] = []
    scores = _scores_by_learner(rows, ("participant_id", "moodle_participant_id"), "moodle", warnings)
    written: set[str] = set()
    for row in body:
        match = MOODLE_PARTICIPANT.match(_cell(row, id_column))
        if not match or match["id"] not in scores:
            continue
        result = scores[match["id"]]
        maximum = _number(_cell(row, max_column)) if max_column is not None else None
        _set(row, grade_column, _format(_scaled(result, maximum, warnings, MOODLE_GRADE)))
        if feedback_column is not None and not _cell(row, feedback_column).strip():
            _set(row, feedback_column, _feedback(result))
        written.add(match["id"])
    _warn_unmatched(scores, written, "Moodle participant id", worksheet_csv, warnings)
    _write_csv(out, header, body, bom)
    return warnings


def _scores_by_learner(
    rows: list[SubmissionResult], keys: tuple[str, ...], lms: str, warnings: list[str]
) -> dict[str, SubmissionResult]:
    """Learner id -> result, for the results that carry this LMS's id; the others are warned about."""
    by_learner: dict[str, SubmissionResult] = {}
    for result in rows:
        learner = next((str(result.lms[k]) for k in keys if result.lms.get(k)), "")
        if not learner or result.lms.get("lms", lms) != lms:
            warnings.append(f"{result.submission}: no {lms.capitalize()} id (not from a {lms} download), not written")
            continue
        if result.error:
            warnings.append(f"{result.submission}: graded with an error ({result.error}); writing its score anyway")
        if learner in by_learner:
            kept = max(by_learner[learner], result, key=lambda r: r.score)
            warnings.append(
                f"{learner}: graded more than once ({by_learner[learner].submission}, "
                f"{result.submission}); keeping the higher score, from {kept.submission}"
            )
            result = kept
        by_learner[learner] = result
    return by_learner


def _scaled(result: SubmissionResult, points: float | None, warnings: list[str], column: str) -> float:
    """Our score on the LMS's scale, when the LMS says how many points the assignment is worth."""
    if points is None or result.max_score <= 0 or abs(points - result.max_score) < 1e-9:
        return result.score
    note = f"{column}: scores scaled from our maximum of {_format(result.max_score)} to the LMS's {_format(points)}"
    if note not in warnings:
        warnings.append(note)
    return result.score / result.max_score * points


def _canvas_assignment_column(header: list[str], assignment: str | None, source: Path) -> int:
    if assignment is not None:
        matches = [i for i, name in enumerate(header) if assignment.lower() in name.lower()]
        if len(matches) != 1:
            found = ", ".join(header[i] for i in matches) or "none"
            raise ValueError(f"{source}: {assignment!r} must name exactly one column (found: {found})")
        return matches[0]
    for i, name in enumerate(header):
        if CANVAS_ASSIGNMENT.match(name):
            return i
    raise ValueError(f"{source}: no assignment column of the form 'Name (12345)'")


def _canvas_points_possible(body: list[list[str]], column: int) -> float | None:
    for row in body:
        if row and row[0].strip() == CANVAS_POINTS_ROW:
            return _number(_cell(row, column))
    return None


def _warn_unmatched(
    scores: dict[str, SubmissionResult], written: set[str], what: str, source: Path, warnings: list[str]
) -> None:
    for learner, result in scores.items():
        if learner not in written:
            warnings.append(f"{result.submission}: {what} {learner} is not in {source.name}, not written")


def _feedback(result: SubmissionResult) -> str:
    parts = ", ".join(f"part {n}: {_format(s)}/{_format(m)}" for n, (s, m) in sorted(result.parts.items()))
    text = f"Autograded: {_format(result.score)}/{_format(result.max_score)}"
    text += f" ({parts})" if parts else ""
    return text + (f". Not graded: {result.error}" if result.error else "")


def _read_csv(path: Path) -> tuple[list[str], list[list[str]], bool]:
    raw = Path(path).read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    if not rows:
        raise ValueError(f"{path}: empty CSV file")
    return rows[0], rows[1:], bom


def _write_csv(out: Path, header: list[str], body: list[list[str]], bom: bool) -> None:
    # Written next to the target and renamed, so a crash never leaves half a gradebook.
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    with open(partial, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(body)
    os.replace(partial, out)


def _column(header: list[str], name: str, source: Path) -> int:
    stripped = [h.strip() for h in header]
    if name not in stripped:
        raise ValueError(f"{source}: no {name!r} column")
    return stripped.index(name)


def _optional_column(header: list[str], name: str) -> int | None:
    stripped = [h.strip() for h in header]
    return stripped.index(name) if name in stripped else None


def _cell(row: list[str], column: int | None) -> str:
    return row[column] if column is not None and column < len(row) else ""


def _set(row: list[str], column: int, value: str) -> None:
    row.extend([""] * (column + 1 - len(row)))
    row[column] = value


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _format(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
