"""Real English text without a download: the docstrings of Python's own standard library.

The character-level language model of Part 3 needs a corpus of natural text.
Every Python installation carries one: the documentation strings of its
standard library. ``stdlib_docstrings`` parses a fixed, sorted list of pure
Python modules with ``ast`` (nothing is imported or executed), keeps every
module, class and function docstring in source order, drops non-ASCII
characters, and caches the result under ``~/.cache/llms-under-the-hood/`` (or
the folder in ``$LLMS_UNDER_THE_HOOD_CACHE``), one file per Python version.
The text is therefore identical on every run of the same Python.
"""

from __future__ import annotations

import ast
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

CACHE_ENV = "LLMS_UNDER_THE_HOOD_CACHE"

# Pure-Python modules with generous prose docstrings, present in 3.10 to 3.13.
STDLIB_MODULES: tuple[str, ...] = tuple(
    sorted(
        {
            "argparse",
            "base64",
            "bisect",
            "calendar",
            "collections",
            "configparser",
            "contextlib",
            "copy",
            "csv",
            "dataclasses",
            "datetime",
            "difflib",
            "enum",
            "fractions",
            "functools",
            "gettext",
            "heapq",
            "inspect",
            "ipaddress",
            "json",
            "logging",
            "numbers",
            "optparse",
            "pathlib",
            "pickle",
            "pprint",
            "queue",
            "random",
            "shutil",
            "statistics",
            "string",
            "tempfile",
            "textwrap",
            "threading",
            "typing",
            "unittest",
            "uuid",
            "warnings",
            "zipfile",
        }
    )
)


def _source_files(module: str, stdlib: Path) -> list[Path]:
    """The module's file, or a package's Python files in sorted order."""
    single = stdlib / f"{module}.py"
    if single.is_file():
        return [single]
    package = stdlib / module
    if (package / "__init__.py").is_file():
        return sorted(p for p in package.rglob("*.py") if "test" not in p.relative_to(package).parts[0])
    return []


def _docstrings(source: str) -> list[str]:
    """Module, class and function docstrings of ``source``, in the order they appear."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    nodes = [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
    nodes.sort(key=lambda n: getattr(n, "lineno", 0))
    found = (ast.get_docstring(n, clean=True) for n in nodes)
    return [doc for doc in found if doc]


def _ascii(text: str) -> str:
    """Keep printable ASCII and newlines; tabs become spaces."""
    text = text.replace("\t", "    ")
    return "".join(c for c in text if c == "\n" or " " <= c <= "~")


def collect_stdlib_docstrings(modules: tuple[str, ...] = STDLIB_MODULES) -> str:
    """Parse the installed standard library and return the docstring corpus (no cache)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    parts: list[str] = []
    for module in sorted(modules):
        for path in _source_files(module, stdlib):
            parts.extend(_ascii(doc) for doc in _docstrings(path.read_text(encoding="utf-8", errors="replace")))
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def cache_dir() -> Path:
    """``$LLMS_UNDER_THE_HOOD_CACHE`` or ``~/.cache/llms-under-the-hood``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "llms-under-the-hood")


def stdlib_docstrings(cache: Path | str | None = None) -> str:
    """The docstring corpus of this Python, read from the cache when it is there, written to it otherwise."""
    folder = Path(cache) if cache is not None else cache_dir()
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    path = folder / f"stdlib-docstrings-py{version}.txt"
    if path.is_file():
        return path.read_text(encoding="ascii")
    text = collect_stdlib_docstrings()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="ascii")
        os.replace(partial, path)  # atomic: a concurrent reader sees all or nothing
    except OSError:  # a read-only home still gets the text, just not cached
        pass
    return text


@dataclass(frozen=True)
class CharTokenizer:
    """Characters <-> integer ids, the vocabulary sorted so ids do not depend on text order."""

    chars: str

    @classmethod
    def from_text(cls, text: str) -> CharTokenizer:
        return cls("".join(sorted(set(text))))

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> Tensor:
        """(len(text),) int64 ids; raises KeyError on a character outside the vocabulary."""
        index = {c: i for i, c in enumerate(self.chars)}
        return torch.tensor([index[c] for c in text], dtype=torch.int64)

    def decode(self, ids) -> str:
        values = ids.tolist() if isinstance(ids, Tensor) else list(ids)
        return "".join(self.chars[i] for i in values)


@dataclass(frozen=True)
class StdlibText:
    """A train/validation split of the corpus as id tensors, with its tokenizer."""

    train: Tensor  # (n_train,) int64
    val: Tensor  # (n_val,) int64
    tokenizer: CharTokenizer


def load_stdlib_text(
    max_chars: int | None = None, val_fraction: float = 0.1, cache: Path | str | None = None
) -> StdlibText:
    """The first ``max_chars`` characters of the corpus, the last ``val_fraction`` of them held out.

    The tokenizer covers every character of the (cut) text, so the validation
    split never holds an unknown character.
    """
    text = stdlib_docstrings(cache)
    if max_chars is not None:
        text = text[:max_chars]
    tokenizer = CharTokenizer.from_text(text)
    ids = tokenizer.encode(text)
    n_val = max(1, int(len(ids) * val_fraction))
    return StdlibText(train=ids[:-n_val], val=ids[-n_val:], tokenizer=tokenizer)
