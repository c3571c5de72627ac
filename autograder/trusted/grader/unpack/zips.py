"""A zip archive as the same read-only ``File``/``Dir`` view, read entry by entry into memory, never to disk.

Unsafe entries (absolute paths, ``..``, links, devices, encrypted, duplicates)
are kept as refused so they get reported; sizes and compression ratios are
checked against what decompression really produces. Trusted side.
"""

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO

from autograder.shared.hints import unpack as unpack_hints
from autograder.trusted.grader.unpack.submission import ArchiveLimits, Refused, TooBig, Unsafe
from autograder.trusted.grader.unpack.views import CHUNK, Dir, File, Node, file_kind, printable, read_capped

SMALL = 64 * 2**10  # below this, a high compression ratio is normal (whitespace) and harmless


def open_zip(fileobj: BinaryIO, name: str, where: str, max_entries: int, limits: ArchiveLimits) -> Dir:
    """A zip archive as a tree, with every unsafe entry kept (as refused) so that it gets reported.

    Entries are read lazily, so ``fileobj`` must stay open while the tree is used.
    """
    try:
        _check_central_directory(fileobj, max_entries)
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as problem:
        raise Unsafe(unpack_hints.not_a_readable_zip(where, problem)) from None
    if len(infos) > max_entries:
        raise Unsafe(unpack_hints.zip_entries_over_limit(where, len(infos), max_entries))
    tree: dict = {}
    paths = [_entry_parts(info.filename) for info in infos]
    seen: dict[tuple[str, ...], int] = {}
    for parts, _ in paths:
        seen[parts] = seen.get(parts, 0) + 1
    for info, (parts, problem) in zip(infos, paths, strict=True):
        shown = f"{where}:{printable(info.filename)}"
        problem = problem or _entry_problem(info) or (unpack_hints.DUPLICATE_ENTRY if seen[parts] > 1 else "")
        if problem:
            # Refused entries sit at the top of the tree, so they are reported with the submission.
            tree.setdefault(None, []).append(File(parts[-1] if parts else info.filename, shown, None, problem))
        elif not info.is_dir():
            _tree_insert(tree, parts, File(parts[-1], shown, _zip_reader(archive, info, limits)))
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
        raise ValueError(unpack_hints.NO_END_RECORD)
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory_bytes = int.from_bytes(tail[at + 12 : at + 16], "little")
    if entries != 0xFFFF and entries > max_entries:
        raise ValueError(unpack_hints.end_record_entries_over_limit(entries, max_entries))
    if directory_bytes != 0xFFFFFFFF and directory_bytes > max_entries * 1024:
        raise ValueError(unpack_hints.central_directory_too_big(directory_bytes, max_entries))
    fileobj.seek(0)


def _entry_parts(name: str) -> tuple[tuple[str, ...], str]:
    """An entry's path components, or why the name is unsafe (absolute, drive letter, ``..``)."""
    unified = name.replace("\\", "/")  # Windows tools write backslashes; an attacker may too
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        return (), unpack_hints.ABSOLUTE_PATH
    parts = tuple(p for p in unified.split("/") if p not in ("", "."))
    if ".." in parts:
        return (), unpack_hints.CLIMBS_OUT
    if not parts:
        return (), unpack_hints.EMPTY_NAME
    if any(ord(c) < 32 for c in unified):
        return parts, unpack_hints.CONTROL_CHARACTERS
    return parts, ""


def _entry_problem(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16  # Unix mode bits, whatever system the header claims
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return unpack_hints.SYMBOLIC_LINK
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return unpack_hints.not_regular_file(file_kind(mode))
    if info.flag_bits & 0x1:
        return unpack_hints.ENCRYPTED
    return ""


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits) -> Callable[[int], bytes]:
    def read(limit: int) -> bytes:
        if info.file_size > limit:
            raise TooBig(unpack_hints.uncompressed_over_limit(info.file_size, limit))
        if info.file_size > SMALL and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise Refused(unpack_hints.zip_bomb(limits.max_ratio))

        def check_ratio(produced: int) -> None:
            # The header's sizes are only a claim: check what decompression really produces.
            if produced > SMALL and produced > limits.max_ratio * max(info.compress_size, 1):
                raise Refused(unpack_hints.zip_bomb(limits.max_ratio))

        try:
            with archive.open(info) as entry:
                return read_capped(lambda: entry.read(CHUNK), limit, check_ratio)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as problem:
            raise Refused(unpack_hints.unreadable(problem)) from None

    return read


def _tree_insert(tree: dict, parts: tuple[str, ...], file: File) -> None:
    for part in parts[:-1]:
        tree = tree.setdefault(("dir", part), {})
    tree.setdefault(("file", parts[-1]), []).append(file)


def _tree_to_dir(tree: dict, name: str, where: str) -> Dir:
    nodes: list[Node] = list(tree.get(None, []))
    for key, value in tree.items():
        if key is None:
            continue
        kind, child = key
        if kind == "dir":
            nodes.append(_tree_to_dir(value, child, f"{where}/{printable(child)}"))
        else:
            nodes.extend(value)
    nodes.sort(key=lambda node: node.name)
    return Dir(name, where, lambda cap: nodes)
