"""Turning what an instructor hands the grader into clean submissions, without trusting a byte of it.

``discover`` accepts a folder of submissions (sub-folders or zips), a Canvas or
Moodle bulk download (flat, as a folder or a zip), or one zip holding either.
It returns, for each learner, the course files found by name (``part1/linear.py``
...) as text, and notes on everything it ignored or refused and why.

Nothing here runs learner code, and nothing is extracted to disk: archives are
read entry by entry into memory, with a cap on every size that matters, and
folders are read with ``O_NOFOLLOW`` one directory descriptor at a time. So an
entry named ``../../x.py`` or a symlink to ``/etc/passwd`` cannot reach anything
outside the submission; it is refused and reported. Only names that are course
files come out (a smuggled ``conftest.py`` or ``sitecustomize.py`` never does),
and their paths are built here from ``PARTS``, never taken from the archive.
"""

import errno
import io
import json
import logging
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from autograder.shared import notebooks
from autograder.shared.api import PARTS
from autograder.shared.notebooks import NOTEBOOK_FOLDER

log = logging.getLogger(__name__)


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
_PART_FOLDER = re.compile(r"^part\d+$", re.IGNORECASE)
_OTHER_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".gz", ".bz2", ".xz", ".rar", ".7z")
_CHUNK = 64 * 2**10
_SMALL = 64 * 2**10  # below this, a high compression ratio is normal (whitespace) and harmless


class _Refused(Exception):
    """This one file cannot be used; the reason goes into the submission's notes."""


class _TooBig(_Refused):
    """More bytes than the limit the reader was given."""


class _Unsafe(Exception):
    """The submission as a whole is refused (a bomb, too many files, an unreadable archive)."""


class _TooMany(_Unsafe):
    """A folder listing went over the number of entries it was allowed."""


# --- a read-only view of folders and zips -----------------------------------------------------------


@dataclass
class _File:
    name: str
    where: str  # shown in notes
    read: Callable[[int], bytes] | None  # at most `limit` bytes, else _TooBig
    refused: str = ""  # why it can never be read (symlink, device, unsafe path, duplicate)


@dataclass
class _Dir:
    name: str
    where: str
    list_entries: Callable[[int], list["_File | _Dir"]]

    def entries(self, cap: int) -> list["_File | _Dir"]:
        return self.list_entries(cap)


_Node = _File | _Dir


def _folder(root: Path, parts: tuple[str, ...], where: str) -> _Dir:
    """A folder under ``root`` (trusted: the instructor named it), listed and read without following links."""

    def list_entries(cap: int) -> list[_Node]:
        try:
            fd = _open_beneath(root, parts, directory=True)
        except OSError as problem:
            raise _Unsafe(f"cannot open folder {where}: {problem.strerror}") from None
        nodes: list[_Node] = []
        try:
            with os.scandir(fd) as listing:
                for count, entry in enumerate(listing):
                    if count >= cap:
                        raise _TooMany(f"more than {cap} entries in {where}")
                    nodes.append(_folder_entry(root, parts, entry, f"{where}/{_show(entry.name)}"))
        finally:
            os.close(fd)
        return sorted(nodes, key=lambda node: node.name)

    return _Dir(parts[-1] if parts else root.name, where, list_entries)


def _folder_entry(root: Path, parts: tuple[str, ...], entry: os.DirEntry, where: str) -> _Node:
    path = (*parts, entry.name)
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as problem:
        return _File(entry.name, where, None, refused=f"cannot stat ({problem.strerror})")
    if stat.S_ISLNK(mode):
        return _File(entry.name, where, None, refused="a symbolic link (links are never followed)")
    if stat.S_ISDIR(mode):
        return _folder(root, path, where)
    if not stat.S_ISREG(mode):
        return _File(entry.name, where, None, refused=f"not a regular file ({_kind(mode)})")
    return _File(entry.name, where, lambda limit: _read_folder_file(root, path, limit))


def _open_beneath(root: Path, parts: tuple[str, ...], directory: bool) -> int:
    """A descriptor for ``root/parts...``, refusing a symlink at every step (so a swap after listing fails too)."""
    nofollow = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | nofollow)
    try:
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last and not directory:
                flags = os.O_RDONLY | os.O_NONBLOCK | nofollow  # NONBLOCK: a fifo must not hang the open
            else:
                flags = os.O_RDONLY | os.O_DIRECTORY | nofollow
            child = os.open(part, flags, dir_fd=fd)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _read_folder_file(root: Path, parts: tuple[str, ...], limit: int) -> bytes:
    try:
        fd = _open_beneath(root, parts, directory=False)
    except OSError as problem:
        reason = "a symbolic link" if problem.errno == errno.ELOOP else problem.strerror
        raise _Refused(f"cannot be opened safely ({reason})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # checked again on the open file: it may have been swapped
            raise _Refused(f"not a regular file ({_kind(info.st_mode)})")
        if info.st_nlink > 1:  # a hard link can point at a file the learner must not see
            raise _Refused("a hard link to another file")
        if info.st_size > limit:
            raise _TooBig(f"{info.st_size} bytes, over the {limit} byte limit")
        return _read_capped(lambda: os.read(fd, _CHUNK), limit)
    finally:
        os.close(fd)


def _read_capped(read_chunk: Callable[[], bytes], limit: int, on_chunk: Callable[[int], None] | None = None) -> bytes:
    """Read until EOF, but never more than ``limit`` bytes: sizes in headers and stat may lie or change."""
    data = bytearray()
    while chunk := read_chunk():
        data += chunk
        if len(data) > limit:
            raise _TooBig(f"more than the {limit} byte limit")
        if on_chunk:
            on_chunk(len(data))
    return bytes(data)


def _zip(fileobj: BinaryIO, name: str, where: str, max_entries: int, limits: ArchiveLimits) -> _Dir:
    """A zip archive as a tree, with every unsafe entry kept (as refused) so that it gets reported.

    Entries are read lazily, so ``fileobj`` must stay open while the tree is used.
    """
    try:
        _check_central_directory(fileobj, max_entries)
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as problem:
        raise _Unsafe(f"{where} is not a readable zip archive ({problem})") from None
    if len(infos) > max_entries:
        raise _Unsafe(f"{where} has {len(infos)} entries, over the limit of {max_entries}")
    tree: dict = {}
    paths = [_entry_parts(info.filename) for info in infos]
    seen: dict[tuple[str, ...], int] = {}
    for parts, _ in paths:
        seen[parts] = seen.get(parts, 0) + 1
    for info, (parts, problem) in zip(infos, paths, strict=True):
        shown = f"{where}:{_show(info.filename)}"
        problem = problem or _entry_problem(info) or ("a duplicate entry" if seen[parts] > 1 else "")
        if problem:
            # Refused entries sit at the top of the tree, so they are reported with the submission.
            tree.setdefault(None, []).append(_File(parts[-1] if parts else info.filename, shown, None, problem))
        elif not info.is_dir():
            _tree_insert(tree, parts, _File(parts[-1], shown, _zip_reader(archive, info, limits)))
    return _tree_to_dir(tree, name, where)


def _check_central_directory(fileobj: BinaryIO, max_entries: int) -> None:
    """Refuse before ``zipfile`` parses a central directory big enough to hold far more entries than allowed.

    The entry count in the end record can lie, but the directory's byte size
    bounds how many entries zipfile will build (each takes at least 46 bytes).
    """
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(max(0, size - (22 + 65535)))
    tail = fileobj.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise ValueError("no end of central directory record")
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory_bytes = int.from_bytes(tail[at + 12 : at + 16], "little")
    if entries != 0xFFFF and entries > max_entries:
        raise ValueError(f"{entries} entries, over the limit of {max_entries}")
    if directory_bytes != 0xFFFFFFFF and directory_bytes > max_entries * 1024:
        raise ValueError(f"a {directory_bytes} byte central directory, too big for {max_entries} entries")
    fileobj.seek(0)


def _entry_parts(name: str) -> tuple[tuple[str, ...], str]:
    """An entry's path components, or why the name is unsafe (absolute, drive letter, ``..``)."""
    unified = name.replace("\\", "/")  # Windows tools write backslashes; an attacker may too
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        return (), "an absolute path"
    parts = tuple(p for p in unified.split("/") if p not in ("", "."))
    if ".." in parts:
        return (), "a path that climbs out of the archive (..)"
    if not parts:
        return (), "an empty name"
    if any(ord(c) < 32 for c in unified):
        return parts, "a name with control characters"
    return parts, ""


def _entry_problem(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16  # Unix mode bits, whatever system the header claims
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are never followed)"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return f"not a regular file ({_kind(mode)})"
    if info.flag_bits & 0x1:
        return "encrypted"
    return ""


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        if info.file_size > limit:
            raise _TooBig(f"{info.file_size} bytes uncompressed, over the {limit} byte limit")
        if info.file_size > _SMALL and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _Refused(f"compression ratio over {limits.max_ratio:g} (a zip bomb?)")

        def check_ratio(produced: int) -> None:
            # The header's sizes are only a claim: check what decompression really produces.
            if produced > _SMALL and produced > limits.max_ratio * max(info.compress_size, 1):
                raise _Refused(f"compression ratio over {limits.max_ratio:g} (a zip bomb?)")

        try:
            with archive.open(info) as entry:
                return _read_capped(lambda: entry.read(_CHUNK), limit, check_ratio)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as problem:
            raise _Refused(f"unreadable ({problem})") from None

    return read


def _tree_insert(tree: dict, parts: tuple[str, ...], file: _File) -> None:
    for part in parts[:-1]:
        tree = tree.setdefault(("dir", part), {})
    tree.setdefault(("file", parts[-1]), []).append(file)


def _tree_to_dir(tree: dict, name: str, where: str) -> _Dir:
    nodes: list[_Node] = list(tree.get(None, []))
    for key, value in tree.items():
        if key is None:
            continue
        kind, child = key
        if kind == "dir":
            nodes.append(_tree_to_dir(value, child, f"{where}/{_show(child)}"))
        else:
            nodes.extend(value)
    nodes.sort(key=lambda node: node.name)
    return _Dir(name, where, lambda cap: nodes)


def _kind(mode: int) -> str:
    kinds = {stat.S_IFIFO: "a fifo", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}
    return kinds.get(stat.S_IFMT(mode), "a special file")


def _show(name: str) -> str:
    """A name safe to print: odd characters escaped, length bounded."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return text if len(text) <= 120 else text[:117] + "..."


# --- names -------------------------------------------------------------------------------------------


def _hidden(name: str) -> bool:
    """System clutter that is skipped quietly (counted in a note, not listed)."""
    return name.startswith(".") or name in ("__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini")


def _original_name(name: str, patterns: LmsPatterns) -> str:
    for pattern in (patterns.canvas, patterns.moodle):
        match = pattern.match(name)
        if match and match.group("original"):
            return match.group("original")
    return name


def _course_name(name: str, patterns: LmsPatterns) -> tuple[str, str, int]:
    """(stem, extension, re-upload number) of a file name once LMS prefixes and re-upload suffixes are gone."""
    base = _original_name(name, patterns)
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


def _sanitize_id(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(c if (c.isalnum() or c in "-_.") and c.isprintable() else "_" for c in text)
    text = re.sub(r"_+", "_", text).lstrip("._-").rstrip("._")
    return text[:100] or "submission"


def _unique_ids(submissions: list[Submission]) -> list[Submission]:
    taken: set[str] = set()
    for submission in submissions:
        base = _sanitize_id(submission.id)
        candidate, n = base, 1
        while candidate.lower() in taken:  # case-insensitive: macOS and Windows folders are
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate.lower())
        submission.id = candidate
    return submissions


# --- one submission ----------------------------------------------------------------------------------


@dataclass
class _Found:
    course_path: str  # "part1/linear.py", or "" for a notebook
    upload: int
    order: int
    where: str
    data: bytes
    stem: str = ""  # a notebook's name without re-upload suffixes: re-uploads of one notebook replace each other


@dataclass
class _Walk:
    """Everything read for one submission, within its budget."""

    limits: ArchiveLimits
    patterns: LmsPatterns
    entries: int = 0
    bytes_read: int = 0
    found: list[_Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    hidden: int = 0

    def visit(self, node: _Node, depth: int, zip_depth: int) -> None:
        # Refused entries are reported even when hidden: "../x" and ".link" must not vanish quietly.
        if _hidden(node.name) and not (isinstance(node, _File) and node.refused):
            self.hidden += 1
            return
        self.entries += 1
        if self.entries > self.limits.max_files:
            raise _Unsafe(f"more than {self.limits.max_files} files")
        if isinstance(node, _Dir):
            if depth > self.limits.max_folder_depth:
                self.notes.append(f"refused {node.where}: folders nested over {self.limits.max_folder_depth} deep")
                return
            try:
                children = node.entries(self.limits.max_files - self.entries + 1)
            except _TooMany:
                raise _Unsafe(f"more than {self.limits.max_files} files") from None
            for child in children:
                self.visit(child, depth + 1, zip_depth)
        elif node.refused:
            self.notes.append(f"refused {node.where}: {node.refused}")
        else:
            self._visit_file(node, depth, zip_depth)

    def _visit_file(self, node: _File, depth: int, zip_depth: int) -> None:
        stem, extension, upload = _course_name(node.name, self.patterns)
        lowered = node.name.lower()
        if extension == "py" and stem in COURSE_PATHS:
            self._keep(node, COURSE_PATHS[stem], upload, self.limits.max_file_bytes)
        elif extension == "ipynb":
            self._keep(node, "", upload, self.limits.max_notebook_bytes, stem)
        elif extension == "zip":
            self._open_zip(node, depth, zip_depth)
        elif lowered.endswith(_OTHER_ARCHIVES):
            self.notes.append(f"refused {node.where}: only .zip archives are opened")
        else:
            self.ignored.append(_show(node.name))

    def _read(self, node: _File, limit: int) -> bytes:
        remaining = self.limits.max_total_bytes - self.bytes_read
        try:
            data = node.read(min(limit, remaining))
        except _TooBig as problem:
            if remaining < limit:
                raise _Unsafe(f"more than {self.limits.max_total_bytes} bytes uncompressed in all") from None
            raise problem
        self.bytes_read += len(data)
        return data

    def _keep(self, node: _File, course_path: str, upload: int, limit: int, stem: str = "") -> None:
        try:
            data = self._read(node, limit)
        except _Refused as problem:
            self.notes.append(f"refused {node.where}: {problem}")
            return
        self.found.append(_Found(course_path, upload, len(self.found), node.where, data, stem))

    def _open_zip(self, node: _File, depth: int, zip_depth: int) -> None:
        if zip_depth >= self.limits.max_zip_depth:
            self.notes.append(f"refused {node.where}: a zip inside a zip inside a zip is not opened")
            return
        try:
            # The stored archive counts against the total too, so many nested zips cannot add up unchecked.
            data = self._read(node, self.limits.max_archive_bytes)
        except _Refused as problem:
            raise _Unsafe(f"{node.where}: {problem}") from None
        inner = _zip(io.BytesIO(data), node.name, node.where, self.limits.max_files, self.limits)
        for child in inner.entries(self.limits.max_files):
            self.visit(child, depth + 1, zip_depth + 1)

    def summary_notes(self) -> list[str]:
        notes = []
        if self.ignored:
            shown = ", ".join(self.ignored[:10])
            if len(self.ignored) > 10:
                shown += f" and {len(self.ignored) - 10} more"
            files = "file that is not a course file" if len(self.ignored) == 1 else "files that are not course files"
            notes.append(f"ignored {len(self.ignored)} {files}: {shown}")
        if self.hidden:
            notes.append(f"ignored {self.hidden} hidden or system entries (dotfiles, __MACOSX, __pycache__)")
        return notes


def _submission(
    raw_id: str,
    nodes: list[_Node],
    limits: ArchiveLimits,
    patterns: LmsPatterns,
    zip_depth: int,
    lms: dict[str, str] | None = None,
) -> Submission:
    walk = _Walk(limits, patterns)
    submission = Submission(raw_id, {}, walk.notes, lms=dict(lms or {}))
    try:
        for node in nodes:
            walk.visit(node, 0, zip_depth)
    except _Unsafe as problem:
        submission.error = f"refused: {problem}"
        submission.notes.extend(walk.summary_notes())
        return submission
    submission.files = _assemble(walk.found, submission.notes)
    submission.notes.extend(walk.summary_notes())
    if not submission.files:
        submission.error = "no course files found (expected files such as linear.py, or a notebook)"
    return submission


def _assemble(found: list[_Found], notes: list[str]) -> dict[str, str]:
    """Course path -> text: .py files first, then notebooks for whatever files they leave uncovered."""
    files: dict[str, str] = {}
    python = [f for f in found if f.course_path]
    for course_path in sorted({f.course_path for f in python}):
        candidates = [f for f in python if f.course_path == course_path]
        chosen = _latest(candidates, course_path, notes)
        text = _decode(chosen, notes)
        if text is None and len(candidates) > 1:
            notes.append(f"{course_path}: the chosen upload was refused, so the file is missing")
        if text is not None:
            files[course_path] = text
    _add_notebooks([f for f in found if not f.course_path], files, notes)
    return files


def _latest(candidates: list[_Found], label: str, notes: list[str]) -> _Found:
    # The most recent re-upload wins; among equals, the one met last.
    chosen = max(candidates, key=lambda f: (f.upload, f.order))
    if len(candidates) > 1:
        others = ", ".join(f.where for f in candidates if f is not chosen)
        notes.append(f"{label}: used {chosen.where}, the most recent of {len(candidates)} candidates (not {others})")
    return chosen


def _decode(found: _Found, notes: list[str]) -> str | None:
    if b"\x00" in found.data:
        notes.append(f"refused {found.where}: binary content, not Python source")
        return None
    try:
        text = found.data.decode("utf-8")
    except UnicodeDecodeError as problem:
        notes.append(f"refused {found.where}: not UTF-8 text (byte {problem.start})")
        return None
    return text.removeprefix("\ufeff")


def _add_notebooks(found: list[_Found], files: dict[str, str], notes: list[str]) -> None:
    """Each part's files that no .py covers come from the notebook defining most of that part's names.

    One notebook may serve one part or several (a single notebook for the whole
    course). Each notebook used is written as ``_notebooks/<n>.json``: its name,
    the course files it stands in for, and its cells, which the worker runs in
    order (see ``cells.py``).
    """
    readable: list[tuple[_Found, list[notebooks.Cell], set[str]]] = []
    for stem in sorted({item.stem for item in found}):
        item = _latest([f for f in found if f.stem == stem], f"notebook {stem}", notes)
        cells, conversion_notes = notebooks.notebook_cells(item.data, len(item.data) + 1, item.where)
        notes.extend(conversion_notes)
        names = notebooks.cells_defined_names(cells)
        if cells and not any(names & set(part.api_names) for part in PARTS.values()):
            notes.append(f"{item.where}: ignored, it defines none of the course's function or class names")
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
            notes.append(f"{where}: not used for {part.folder}, every {part.folder} file was submitted as .py")
            continue
        serves.setdefault(index, {})[number] = missing
        notes.append(f"{where}: graded cell by cell for {part.folder} ({', '.join(missing)})")
        if submitted:
            notes.append(f"{where}: the .py files win over the notebook for {', '.join(submitted)}")
    for written, (index, parts) in enumerate(sorted(serves.items()), start=1):
        item, cells, _ = readable[index]
        spec = {
            "name": item.where,
            "parts": {str(number): stems for number, stems in parts.items()},
            "cells": [[cell.number, cell.source] for cell in cells if cell.run],
        }
        files[f"{NOTEBOOK_FOLDER}/{written}.json"] = json.dumps(spec)


# --- the class level ---------------------------------------------------------------------------------


def discover(
    path: Path, limits: ArchiveLimits = ArchiveLimits(), patterns: LmsPatterns = LMS_PATTERNS
) -> list[Submission]:  # noqa: B008
    """Every submission in ``path``: a folder of submissions, an LMS bulk download, or a zip of either."""
    path = Path(path).resolve()  # the instructor's own path: following links here is fine
    try:
        if path.is_dir():
            submissions = _classify(_folder(path, (), _show(path.name)), limits, patterns, zip_depth=0)
        elif path.is_file() and path.suffix.lower() == ".zip":
            if path.stat().st_size > limits.max_export_bytes:
                raise _Unsafe(f"{path.name} is over {limits.max_export_bytes} bytes")
            with open(path, "rb") as handle:
                root = _zip(handle, path.stem, _show(path.name), limits.max_export_entries, limits)
                submissions = _classify(root, limits, patterns, zip_depth=1)
        else:
            raise ValueError(f"{path} is neither a folder nor a .zip file")
    except _Unsafe as problem:
        submissions = [Submission(path.stem, {}, [], error=f"refused: {problem}")]
    return _unique_ids(sorted(submissions, key=lambda s: s.id.lower()))


def _visible(directory: _Dir, limits: ArchiveLimits) -> list[_Node]:
    return [node for node in directory.entries(limits.max_export_entries) if not _hidden(node.name)]


def _classify(root: _Dir, limits: ArchiveLimits, patterns: LmsPatterns, zip_depth: int) -> list[Submission]:
    entries = _visible(root, limits)
    for _ in range(limits.max_folder_depth):  # a zip of the class folder wraps everything in one folder
        if len(entries) != 1 or not isinstance(entries[0], _Dir) or not _looks_like_class(entries[0], limits, patterns):
            break
        root = entries[0]
        entries = _visible(root, limits)
    learners: dict[tuple[str, str], tuple[dict[str, str], str, list[_Node]]] = {}
    others: list[_Node] = []
    for node in entries:
        key = _lms_key(node, patterns)
        if key is None:
            others.append(node)
        else:
            lms, raw_id = key
            learners.setdefault((lms["lms"], _learner_id(lms)), (lms, raw_id, []))[2].append(node)
    if not learners and _is_one_submission(others, patterns):
        return [_submission(root.name, entries, limits, patterns, zip_depth)]
    submissions = [
        _submission(raw_id, nodes, limits, patterns, zip_depth, lms) for lms, raw_id, nodes in learners.values()
    ]
    for node in others:
        submissions.extend(_top_level_entry(node, limits, patterns, zip_depth))
    return submissions


def _learner_id(lms: dict[str, str]) -> str:
    return lms.get("user_id") or lms.get("participant_id", "")


def _lms_key(node: _Node, patterns: LmsPatterns) -> tuple[dict[str, str], str] | None:
    """The learner an LMS-named entry belongs to: ({lms fields}, raw submission id)."""
    moodle = patterns.moodle.match(node.name)
    if moodle:
        lms = {"lms": "moodle", "participant_id": moodle["participant_id"], "full_name": moodle["full_name"]}
        return lms, f"{moodle['full_name']}_{moodle['participant_id']}"
    canvas = patterns.canvas.match(node.name) if isinstance(node, _File) else None
    if canvas:
        lms = {"lms": "canvas", "user_id": canvas["user_id"], "name": canvas["name"]}
        return lms, f"{canvas['name']}_{canvas['user_id']}"
    return None


def _is_one_submission(entries: list[_Node], patterns: LmsPatterns) -> bool:
    """Loose course files or partN folders at the top mean the folder itself is one learner's submission."""
    for node in entries:
        if isinstance(node, _Dir) and _PART_FOLDER.match(node.name):
            return True
        if isinstance(node, _File) and not node.refused:
            stem, extension, _ = _course_name(node.name, patterns)
            if extension == "py" and stem in COURSE_PATHS:
                return True
    containers = [n for n in entries if isinstance(n, _Dir) or n.name.lower().endswith((".zip", *_OTHER_ARCHIVES))]
    notebooks_here = [n for n in entries if isinstance(n, _File) and n.name.lower().endswith(".ipynb")]
    return bool(notebooks_here) and not containers


def _looks_like_class(directory: _Dir, limits: ArchiveLimits, patterns: LmsPatterns) -> bool:
    entries = _visible(directory, limits)
    if any(_lms_key(node, patterns) for node in entries):
        return True
    if _is_one_submission(entries, patterns):
        return False
    containers = [n for n in entries if isinstance(n, _Dir) or n.name.lower().endswith(".zip")]
    return len(containers) >= 2


def _top_level_entry(node: _Node, limits: ArchiveLimits, patterns: LmsPatterns, zip_depth: int) -> list[Submission]:
    """One entry of a folder of submissions: a learner's folder or zip, or something to report."""
    name = node.name
    if isinstance(node, _Dir):
        return [_submission(name, [node], limits, patterns, zip_depth)]
    if node.refused:
        return [Submission(name, {}, [], error=f"refused {node.where}: {node.refused}")]
    lowered = name.lower()
    if lowered.endswith(".zip"):
        return [_submission(name[: -len(".zip")], [node], limits, patterns, zip_depth)]
    if lowered.endswith(_OTHER_ARCHIVES):
        return [Submission(name, {}, [], error=f"refused {node.where}: only .zip archives are opened")]
    log.warning("unpack: ignored %s: not a submission folder, a .zip or an LMS download file", node.where)
    return []
