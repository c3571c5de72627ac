"""The decorators that fill the catalog, and the implementation each entry is graded as."""

import importlib
from dataclasses import dataclass

from autograder.shared.api import PARTS, part_of


@dataclass(frozen=True)
class Entry:
    kind: str  # 'bug' or 'variant'
    api: str
    description: str
    replacement: object  # the function or class standing in for the reference's

    @property
    def id(self) -> str:
        slug = "-".join(self.description.lower().replace(",", "").split())[:60]
        return f"{self.kind}:{self.api}:{slug}"

    @property
    def part(self) -> int:
        return part_of(self.api).number


ENTRIES: list[Entry] = []


def _register(kind: str, api: str, description: str):
    part_of(api)  # fail early on a misspelt name

    def decorate(replacement):
        ENTRIES.append(Entry(kind, api, description, replacement))
        return replacement

    return decorate


def bug(api: str, description: str):
    """A realistic mistake in ``api``: some test of ``api`` must fail."""
    return _register("bug", api, description)


def variant(api: str, description: str):
    """A correct implementation of ``api`` written differently: every test must pass."""
    return _register("variant", api, description)


def load_all() -> list[Entry]:
    """Import every partN.py of the catalog (for the parts that exist) and return the entries."""
    for part in PARTS.values():
        try:
            importlib.import_module(f"autograder.catalog.{part.folder}")
        except ModuleNotFoundError as error:
            if error.name != f"autograder.catalog.{part.folder}":
                raise
    return list(ENTRIES)
