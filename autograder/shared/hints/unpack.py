"""The words of unpacking what an instructor hands the grader: refusals, limits, ignored files, chosen uploads.

The learner reads them as notes on their submission (or its error, when the whole
submission is refused): why an entry or archive was not read, what was ignored,
which upload of a file and which notebook was graded. Imported by the trusted
unpacker (``trusted/grader/unpack/``) only.
"""


def refused(where: str, reason: str) -> str:
    """A note (or a submission's error) for one entry that is not read."""
    return f"refused {where}: {reason}"


def refused_submission(problem: str) -> str:
    """A whole submission (or export) that is not read."""
    return f"refused: {problem}"


NO_COURSE_FILES = "no course files found (expected files such as linear.py, or a notebook)"

# Why one entry is refused.
SYMBOLIC_LINK = "a symbolic link (links are never followed)"
HARD_LINK = "a hard link to another file"
ONLY_ZIPS = "only .zip archives are opened"
ZIP_IN_ZIP_IN_ZIP = "a zip inside a zip inside a zip is not opened"
DUPLICATE_ENTRY = "a duplicate entry"
ABSOLUTE_PATH = "an absolute path"
CLIMBS_OUT = "a path that climbs out of the archive (..)"
EMPTY_NAME = "an empty name"
CONTROL_CHARACTERS = "a name with control characters"
ENCRYPTED = "encrypted"
BINARY_CONTENT = "binary content, not Python source"
NO_END_RECORD = "no end of central directory record"


def cannot_stat(error: str) -> str:
    return f"cannot stat ({error})"


def not_regular_file(kind: str) -> str:
    """``kind`` is 'a fifo', 'a socket', 'a device' ..."""
    return f"not a regular file ({kind})"


def cannot_open_safely(reason: str) -> str:
    return f"cannot be opened safely ({reason})"


def over_byte_limit(size: int, limit: int) -> str:
    return f"{size} bytes, over the {limit} byte limit"


def uncompressed_over_limit(size: int, limit: int) -> str:
    return f"{size} bytes uncompressed, over the {limit} byte limit"


def read_over_limit(limit: int) -> str:
    """More bytes came than the size a header or stat claimed."""
    return f"more than the {limit} byte limit"


def zip_bomb(max_ratio: float) -> str:
    return f"compression ratio over {max_ratio:g} (a zip bomb?)"


def unreadable(problem: object) -> str:
    return f"unreadable ({problem})"


def not_utf8(byte: int) -> str:
    return f"not UTF-8 text (byte {byte})"


def folder_too_deep(depth: int) -> str:
    return f"folders nested over {depth} deep"


# Why a whole submission is refused.


def not_a_readable_zip(where: str, problem: object) -> str:
    return f"{where} is not a readable zip archive ({problem})"


def zip_entries_over_limit(where: str, entries: int, limit: int) -> str:
    return f"{where} has {entries} entries, over the limit of {limit}"


def end_record_entries_over_limit(entries: int, limit: int) -> str:
    return f"{entries} entries, over the limit of {limit}"


def central_directory_too_big(size: int, limit: int) -> str:
    return f"a {size} byte central directory, too big for {limit} entries"


def cannot_open_folder(where: str, error: str) -> str:
    return f"cannot open folder {where}: {error}"


def folder_entries_over_limit(limit: int, where: str) -> str:
    return f"more than {limit} entries in {where}"


def files_over_limit(limit: int) -> str:
    return f"more than {limit} files"


def bytes_over_limit(limit: int) -> str:
    return f"more than {limit} bytes uncompressed in all"


def export_over_limit(name: str, limit: int) -> str:
    return f"{name} is over {limit} bytes"


# What was left out, and which upload was used.


def ignored_files(count: int, shown: str) -> str:
    files = "file that is not a course file" if count == 1 else "files that are not course files"
    return f"ignored {count} {files}: {shown}"


def ignored_hidden(count: int) -> str:
    return f"ignored {count} hidden or system entries (dotfiles, __MACOSX, __pycache__)"


def used_latest(label: str, chosen: str, candidates: int, others: str) -> str:
    """Several uploads of one file: the most recent is graded."""
    return f"{label}: used {chosen}, the most recent of {candidates} candidates (not {others})"


def chosen_upload_refused(course_path: str) -> str:
    return f"{course_path}: the chosen upload was refused, so the file is missing"


def notebook_label(stem: str) -> str:
    """How a notebook's uploads are named in ``used_latest``."""
    return f"notebook {stem}"


def notebook_defines_nothing(where: str) -> str:
    return f"{where}: ignored, it defines none of the course's function or class names"


def notebook_not_used(where: str, folder: str) -> str:
    return f"{where}: not used for {folder}, every {folder} file was submitted as .py"


def notebook_graded_for(where: str, folder: str, stems: list[str]) -> str:
    return f"{where}: graded cell by cell for {folder} ({', '.join(stems)})"


def py_files_win(where: str, stems: list[str]) -> str:
    return f"{where}: the .py files win over the notebook for {', '.join(stems)}"
