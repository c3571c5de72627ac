"""A read-only view of a folder: entries listed and files read without ever following a link.

Folders are opened one directory descriptor at a time with ``O_NOFOLLOW``, so a
symlink or a swap after listing cannot reach outside the submission; every read
is capped, whatever ``stat`` claims. Zips give the same ``File``/``Dir`` view
(``zips.py``). Trusted side: nothing here runs learner code.
"""

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograder.shared.hints import unpack as unpack_hints
from autograder.trusted.grader.unpack.submission import Refused, TooBig, TooMany, Unsafe

CHUNK = 64 * 2**10


@dataclass
class File:
    name: str
    where: str  # shown in notes
    read: Callable[[int], bytes] | None  # at most `limit` bytes, else TooBig
    refused: str = ""  # why it can never be read (symlink, device, unsafe path, duplicate)


@dataclass
class Dir:
    name: str
    where: str
    list_entries: Callable[[int], list["File | Dir"]]

    def entries(self, cap: int) -> list["File | Dir"]:
        return self.list_entries(cap)


Node = File | Dir


def open_folder(root: Path, parts: tuple[str, ...], where: str) -> Dir:
    """A folder under ``root`` (trusted: the instructor named it), listed and read without following links."""

    def list_entries(cap: int) -> list[Node]:
        try:
            fd = _open_beneath(root, parts, directory=True)
        except OSError as problem:
            raise Unsafe(unpack_hints.cannot_open_folder(where, problem.strerror)) from None
        nodes: list[Node] = []
        try:
            with os.scandir(fd) as listing:
                for count, entry in enumerate(listing):
                    if count >= cap:
                        raise TooMany(unpack_hints.folder_entries_over_limit(cap, where))
                    nodes.append(_folder_entry(root, parts, entry, f"{where}/{printable(entry.name)}"))
        finally:
            os.close(fd)
        return sorted(nodes, key=lambda node: node.name)

    return Dir(parts[-1] if parts else root.name, where, list_entries)


def _folder_entry(root: Path, parts: tuple[str, ...], entry: os.DirEntry, where: str) -> Node:
    path = (*parts, entry.name)
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as problem:
        return File(entry.name, where, None, refused=unpack_hints.cannot_stat(problem.strerror))
    if stat.S_ISLNK(mode):
        return File(entry.name, where, None, refused=unpack_hints.SYMBOLIC_LINK)
    if stat.S_ISDIR(mode):
        return open_folder(root, path, where)
    if not stat.S_ISREG(mode):
        return File(entry.name, where, None, refused=unpack_hints.not_regular_file(file_kind(mode)))
    return File(entry.name, where, lambda limit: _read_folder_file(root, path, limit))


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
        raise Refused(unpack_hints.cannot_open_safely(reason)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # checked again on the open file: it may have been swapped
            raise Refused(unpack_hints.not_regular_file(file_kind(info.st_mode)))
        if info.st_nlink > 1:  # a hard link can point at a file the learner must not see
            raise Refused(unpack_hints.HARD_LINK)
        if info.st_size > limit:
            raise TooBig(unpack_hints.over_byte_limit(info.st_size, limit))
        return read_capped(lambda: os.read(fd, CHUNK), limit)
    finally:
        os.close(fd)


def read_capped(read_chunk: Callable[[], bytes], limit: int, on_chunk: Callable[[int], None] | None = None) -> bytes:
    """Read until EOF, but never more than ``limit`` bytes: sizes in headers and stat may lie or change."""
    data = bytearray()
    while chunk := read_chunk():
        data += chunk
        if len(data) > limit:
            raise TooBig(unpack_hints.read_over_limit(limit))
        if on_chunk:
            on_chunk(len(data))
    return bytes(data)


def file_kind(mode: int) -> str:
    kinds = {stat.S_IFIFO: "a fifo", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}
    return kinds.get(stat.S_IFMT(mode), "a special file")


def printable(name: str) -> str:
    """A name safe to print: odd characters escaped, length bounded."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    return text if len(text) <= 120 else text[:117] + "..."
