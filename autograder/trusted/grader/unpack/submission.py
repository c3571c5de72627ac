"""What unpacking yields (``Submission``), the caps it reads under (``ArchiveLimits``), and how it refuses.

A ``Refused`` file is left out with a note; an ``Unsafe`` submission is refused as a whole.
Trusted side: nothing here runs learner code.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ArchiveLimits:
    max_archive_bytes: int = 50 * 2**20  # a learner's zip, as stored
    max_total_bytes: int = 100 * 2**20  # uncompressed, per submission
    max_file_bytes: int = 2 * 2**20  # per course file
    max_files: int = 2000  # entries per archive / folder walk of one submission
    max_ratio: float = 200.0  # compression ratio per zip entry
    max_notebook_bytes: int = 10 * 2**20
    # The class-level export the instructor hands over holds every learner, so it
    # gets its own, larger caps; each learner inside it still gets the ones above.
    max_export_bytes: int = 8 * 2**30
    max_export_entries: int = 200_000
    max_zip_depth: int = 2  # an export zip may hold per-learner zips, and no deeper
    max_folder_depth: int = 32


@dataclass
class Submission:
    id: str  # folder name, zip stem, or LMS learner key (e.g. "doejane_12345"); filesystem-safe
    files: dict[str, str]  # course path "part1/linear.py" -> source text (UTF-8), only course files
    notes: list[str]  # human-readable: ignored/refused files and why, notebook conversions
    error: str = ""  # set when the whole submission is refused/unreadable
    lms: dict[str, str] = field(default_factory=dict)  # {"lms": "canvas", "user_id": ..., "name": ...} or moodle


class Refused(Exception):
    """This one file cannot be used; the reason goes into the submission's notes."""


class TooBig(Refused):
    """More bytes than the limit the reader was given."""


class Unsafe(Exception):
    """The submission as a whole is refused (a bomb, too many files, an unreadable archive)."""


class TooMany(Unsafe):
    """A folder listing went over the number of entries it was allowed."""
