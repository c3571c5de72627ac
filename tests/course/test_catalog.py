"""Every catalogued learner bug loses points on a test of the API it breaks; every correct variant keeps full marks."""

from collections import Counter

import pytest

from autograder.catalog import load_all
from autograder.sandboxed.loader import Implementation
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness.run import run_suite

ENTRIES = load_all()
REFERENCE = Implementation(REPO_ROOT / "solutions", "reference")


def _grade(entry):
    implementation = REFERENCE.with_override(entry.api, entry.replacement)
    # One failing test proves a bug is caught; a variant must pass every test.
    tests = run_suite(
        implementation, parts=[entry.part], apis=[entry.api], device="cpu", first_failure_only=entry.kind == "bug"
    )
    assert tests, f"no tests ran for {entry.api}"
    return tests


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.kind == "bug"], ids=lambda e: e.id)
def test_bug_loses_points_on_its_own_api(entry):
    tests = _grade(entry)
    failed = [t for t in tests if t.failures]
    assert failed, f"no test of {entry.api} catches: {entry.description}"
    assert all(t.api == entry.api for t in failed)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.kind == "variant"], ids=lambda e: e.id)
def test_correct_variant_keeps_full_marks(entry):
    tests = _grade(entry)
    failed = [(t.name, t.failures[0].hint) for t in tests if t.failures]
    assert not failed, f"a correct variant of {entry.api} ({entry.description}) is punished: {failed}"


@pytest.mark.parametrize(
    "part", [p for p in PARTS.values() if (REPO_ROOT / "solutions" / p.folder).is_dir()], ids=lambda p: p.folder
)
def test_catalog_has_two_bugs_and_a_variant_per_api(part):
    bugs = Counter(e.api for e in ENTRIES if e.kind == "bug")
    variants = Counter(e.api for e in ENTRIES if e.kind == "variant")
    thin = [name for name in part.api_names if bugs[name] < 2 or variants[name] < 1]
    assert not thin, f"catalog needs at least two bugs and one variant for: {thin}"
