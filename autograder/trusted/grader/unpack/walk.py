"""One learner's submission: walk its folders and zips within its budget, keep the course files, note the rest.

Among re-uploads of one file the most recent wins; notebooks fill in what no
``.py`` covers (``notebook_parts.py``). Trusted side.
"""

import io
from dataclasses import dataclass, field

from autograder.shared.hints import unpack as unpack_hints
from autograder.shared.hints import values as value_hints
from autograder.trusted.grader.unpack.names import COURSE_PATHS, OTHER_ARCHIVES, LmsPatterns, course_name, is_clutter
from autograder.trusted.grader.unpack.notebook_parts import add_notebooks
from autograder.trusted.grader.unpack.submission import ArchiveLimits, Refused, Submission, TooBig, TooMany, Unsafe
from autograder.trusted.grader.unpack.uploads import Found, latest
from autograder.trusted.grader.unpack.views import Dir, File, Node, printable
from autograder.trusted.grader.unpack.zips import open_zip


@dataclass
class Walk:
    """Everything read for one submission, within its budget."""

    limits: ArchiveLimits
    patterns: LmsPatterns
    entries: int = 0
    bytes_read: int = 0
    found: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    hidden: int = 0

    def visit(self, node: Node, depth: int, zip_depth: int) -> None:
        # Refused entries are reported even when hidden: "../x" and ".link" must not vanish quietly.
        if is_clutter(node.name) and not (isinstance(node, File) and node.refused):
            self.hidden += 1
            return
        self.entries += 1
        if self.entries > self.limits.max_files:
            raise Unsafe(unpack_hints.files_over_limit(self.limits.max_files))
        if isinstance(node, Dir):
            if depth > self.limits.max_folder_depth:
                self.notes.append(
                    unpack_hints.refused(node.where, unpack_hints.folder_too_deep(self.limits.max_folder_depth))
                )
                return
            try:
                children = node.entries(self.limits.max_files - self.entries + 1)
            except TooMany:
                raise Unsafe(unpack_hints.files_over_limit(self.limits.max_files)) from None
            for child in children:
                self.visit(child, depth + 1, zip_depth)
        elif node.refused:
            self.notes.append(unpack_hints.refused(node.where, node.refused))
        else:
            self._visit_file(node, depth, zip_depth)

    def _visit_file(self, node: File, depth: int, zip_depth: int) -> None:
        stem, extension, upload = course_name(node.name, self.patterns)
        lowered = node.name.lower()
        if extension == "py" and stem in COURSE_PATHS:
            self._keep(node, COURSE_PATHS[stem], upload, self.limits.max_file_bytes)
        elif extension == "ipynb":
            self._keep(node, "", upload, self.limits.max_notebook_bytes, stem)
        elif extension == "zip":
            self._open_zip(node, depth, zip_depth)
        elif lowered.endswith(OTHER_ARCHIVES):
            self.notes.append(unpack_hints.refused(node.where, unpack_hints.ONLY_ZIPS))
        else:
            self.ignored.append(printable(node.name))

    def _read(self, node: File, limit: int) -> bytes:
        remaining = self.limits.max_total_bytes - self.bytes_read
        try:
            data = node.read(min(limit, remaining))
        except TooBig as problem:
            if remaining < limit:
                raise Unsafe(unpack_hints.bytes_over_limit(self.limits.max_total_bytes)) from None
            raise problem
        self.bytes_read += len(data)
        return data

    def _keep(self, node: File, course_path: str, upload: int, limit: int, stem: str = "") -> None:
        try:
            data = self._read(node, limit)
        except Refused as problem:
            self.notes.append(unpack_hints.refused(node.where, str(problem)))
            return
        self.found.append(Found(course_path, upload, len(self.found), node.where, data, stem))

    def _open_zip(self, node: File, depth: int, zip_depth: int) -> None:
        if zip_depth >= self.limits.max_zip_depth:
            self.notes.append(unpack_hints.refused(node.where, unpack_hints.ZIP_IN_ZIP_IN_ZIP))
            return
        try:
            # The stored archive counts against the total too, so many nested zips cannot add up unchecked.
            data = self._read(node, self.limits.max_archive_bytes)
        except Refused as problem:
            raise Unsafe(value_hints.about(node.where, str(problem))) from None
        inner = open_zip(io.BytesIO(data), node.name, node.where, self.limits.max_files, self.limits)
        for child in inner.entries(self.limits.max_files):
            self.visit(child, depth + 1, zip_depth + 1)

    def summary_notes(self) -> list[str]:
        notes = []
        if self.ignored:
            shown = ", ".join(self.ignored[:10])
            if len(self.ignored) > 10:
                shown += value_hints.more_not_shown(len(self.ignored) - 10)
            notes.append(unpack_hints.ignored_files(len(self.ignored), shown))
        if self.hidden:
            notes.append(unpack_hints.ignored_hidden(self.hidden))
        return notes


def read_submission(
    raw_id: str,
    nodes: list[Node],
    limits: ArchiveLimits,
    patterns: LmsPatterns,
    zip_depth: int,
    lms: dict[str, str] | None = None,
) -> Submission:
    walk = Walk(limits, patterns)
    submission = Submission(raw_id, {}, walk.notes, lms=dict(lms or {}))
    try:
        for node in nodes:
            walk.visit(node, 0, zip_depth)
    except Unsafe as problem:
        submission.error = unpack_hints.refused_submission(str(problem))
        submission.notes.extend(walk.summary_notes())
        return submission
    submission.files = _assemble(walk.found, submission.notes)
    submission.notes.extend(walk.summary_notes())
    if not submission.files:
        submission.error = unpack_hints.NO_COURSE_FILES
    return submission


def _assemble(found: list[Found], notes: list[str]) -> dict[str, str]:
    """Course path -> text: .py files first, then notebooks for whatever files they leave uncovered."""
    files: dict[str, str] = {}
    python = [f for f in found if f.course_path]
    for course_path in sorted({f.course_path for f in python}):
        candidates = [f for f in python if f.course_path == course_path]
        chosen = latest(candidates, course_path, notes)
        text = _decode(chosen, notes)
        if text is None and len(candidates) > 1:
            notes.append(unpack_hints.chosen_upload_refused(course_path))
        if text is not None:
            files[course_path] = text
    add_notebooks([f for f in found if not f.course_path], files, notes)
    return files


def _decode(found: Found, notes: list[str]) -> str | None:
    if b"\x00" in found.data:
        notes.append(unpack_hints.refused(found.where, unpack_hints.BINARY_CONTENT))
        return None
    try:
        text = found.data.decode("utf-8")
    except UnicodeDecodeError as problem:
        notes.append(unpack_hints.refused(found.where, unpack_hints.not_utf8(problem.start)))
        return None
    return text.removeprefix("\ufeff")
