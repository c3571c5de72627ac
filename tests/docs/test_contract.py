"""The course contract is published in the repository, and every API it names is one the harness knows.

``docs/course_api.md`` is what learners and instructors read; ``api.py`` is what
the loader, the stub generator and the grader read. A name in one but not the
other is a contract the package does not keep.
"""

import re

import pytest

from autograder.shared.api import PARTS, all_api_names
from autograder.shared.paths import REPO_ROOT

CONTRACT = REPO_ROOT / "docs" / "course_api.md"
SHARED_COPY = REPO_ROOT.parent / "shared" / "COURSE_API.md"


def _table_names(text: str) -> set[str]:
    """The API names of the contract's tables: every `name(...)` in the first cell of a row."""
    names = set()
    for line in text.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)\(", first_cell))
    return names


def test_every_contract_name_is_a_course_api_and_back():
    named = _table_names(CONTRACT.read_text(encoding="utf-8"))
    known = set(all_api_names())
    assert named - known == set(), f"in the contract but unknown to api.py: {sorted(named - known)}"
    assert known - named == set(), f"in api.py but not in the contract: {sorted(known - named)}"


def test_every_part_has_its_section():
    text = CONTRACT.read_text(encoding="utf-8")
    for number in PARTS:
        assert f"## Part {number}" in text


@pytest.mark.skipif(not SHARED_COPY.is_file(), reason="no shared/COURSE_API.md beside this checkout")
def test_the_published_contract_is_the_shared_one():
    assert CONTRACT.read_text(encoding="utf-8") == SHARED_COPY.read_text(encoding="utf-8"), (
        "docs/course_api.md differs from shared/COURSE_API.md: copy the shared one over"
    )
