"""File names as learners and LMS exports write them: course files by stem, Canvas and Moodle prefixes, re-uploads.

Trusted side.
"""

import re
import unicodedata
from dataclasses import dataclass

from autograder.shared.api import PARTS
from autograder.trusted.grader.unpack.submission import Submission
from autograder.trusted.grader.unpack.views import File, Node


@dataclass(frozen=True)
class LmsPatterns:
    """How LMS bulk downloads name files. From community tools, not official documentation: adjust here."""

    # doejane_12345_678_linear.py, doejane_LATE_12345_678_linear-1.py
    canvas: re.Pattern = re.compile(
        r"^(?P<name>[^_]+?)(?:_?late)?_(?P<user_id>\d+)_(?P<attachment_id>\d+)_(?P<original>.+)$", re.IGNORECASE
    )
    # Jane Doe_4242_assignsubmission_file_linear.py (a file), or the folder Jane Doe_4242_assignsubmission_file_
    moodle: re.Pattern = re.compile(
        r"^(?P<full_name>.+?)_(?P<participant_id>\d+)_assignsubmission_(?:file|onlinetext)_(?P<original>.*)$"
    )
    # Suffixes that browsers and LMSes add to a re-uploaded file's stem: linear-2.py, linear (1).py
    reupload: re.Pattern = re.compile(r"^(?P<stem>.+?)(?:-(?P<dash>\d+)|\s*\((?P<paren>\d+)\))$")


LMS_PATTERNS = LmsPatterns()

# Every course file, by stem: stems are unique across parts.
COURSE_PATHS: dict[str, str] = {stem: f"{part.folder}/{stem}.py" for part in PARTS.values() for stem in part.files}

PART_FOLDER = re.compile(r"^part\d+$", re.IGNORECASE)

OTHER_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".gz", ".bz2", ".xz", ".rar", ".7z")


def is_clutter(name: str) -> bool:
    """System clutter that is skipped quietly (counted in a note, not listed)."""
    return name.startswith(".") or name in ("__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini")


def original_name(name: str, patterns: LmsPatterns) -> str:
    for pattern in (patterns.canvas, patterns.moodle):
        match = pattern.match(name)
        if match and match.group("original"):
            return match.group("original")
    return name


def course_name(name: str, patterns: LmsPatterns) -> tuple[str, str, int]:
    """(stem, extension, re-upload number) of a file name once LMS prefixes and re-upload suffixes are gone."""
    base = original_name(name, patterns)
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    upload = 0
    for _ in range(2):  # linear (1)-2.py: a browser suffix and an LMS one
        match = patterns.reupload.match(stem)
        if not match:
            break
        stem = match.group("stem")
        upload = max(upload, int(match.group("dash") or match.group("paren")))
    return stem.strip().lower(), extension.lower(), upload


def sanitize_id(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(c if (c.isalnum() or c in "-_.") and c.isprintable() else "_" for c in text)
    text = re.sub(r"_+", "_", text).lstrip("._-").rstrip("._")
    return text[:100] or "submission"


def unique_ids(submissions: list[Submission]) -> list[Submission]:
    taken: set[str] = set()
    for submission in submissions:
        base = sanitize_id(submission.id)
        candidate, n = base, 1
        while candidate.lower() in taken:  # case-insensitive: macOS and Windows folders are
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate.lower())
        submission.id = candidate
    return submissions


def learner_id(lms: dict[str, str]) -> str:
    return lms.get("user_id") or lms.get("participant_id", "")


def lms_key(node: Node, patterns: LmsPatterns) -> tuple[dict[str, str], str] | None:
    """The learner an LMS-named entry belongs to: ({lms fields}, raw submission id)."""
    moodle = patterns.moodle.match(node.name)
    if moodle:
        lms = {"lms": "moodle", "participant_id": moodle["participant_id"], "full_name": moodle["full_name"]}
        return lms, f"{moodle['full_name']}_{moodle['participant_id']}"
    canvas = patterns.canvas.match(node.name) if isinstance(node, File) else None
    if canvas:
        lms = {"lms": "canvas", "user_id": canvas["user_id"], "name": canvas["name"]}
        return lms, f"{canvas['name']}_{canvas['user_id']}"
    return None
