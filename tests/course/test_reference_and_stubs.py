"""The two anchors of honest grading: the reference scores full marks, the untouched stubs score zero."""

import pytest

from autograder.sandboxed.loader import Implementation
from autograder.shared.api import PARTS
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness.run import run_suite

PART_NUMBERS = [n for n, part in PARTS.items() if (REPO_ROOT / "solutions" / part.folder).is_dir()]


@pytest.fixture(scope="module", params=PART_NUMBERS, ids=lambda n: f"part{n}")
def part_results(request):
    part = PARTS[request.param]
    reference = run_suite(Implementation(REPO_ROOT / "solutions", "reference"), parts=[part.number])
    stubs = run_suite(Implementation(REPO_ROOT / "assignments", "stubs"), parts=[part.number])
    return part, reference, stubs


def test_reference_scores_full_marks_on_every_available_device(part_results):
    part, reference, _ = part_results
    failed = [(t.name, t.failures[0].hint) for t in reference if t.failures]
    assert not failed, f"the reference fails its own tests: {failed}"
    assert {t.api for t in reference} == set(part.api_names), "every API name of the part must be graded"
    assert sum(t.max_score for t in reference) > 0


def test_every_api_has_public_and_hidden_tests(part_results):
    part, reference, _ = part_results
    for suite in ("public", "hidden"):
        missing = set(part.api_names) - {t.api for t in reference if t.suite == suite}
        assert not missing, f"{suite} tests missing for {sorted(missing)}"


def test_stubs_score_zero_with_a_clean_report_for_every_test(part_results):
    _, reference, stubs = part_results
    assert {t.key for t in stubs} == {t.key for t in reference}, (
        "the stubs must reach every test (no collection errors)"
    )
    assert sum(t.score for t in stubs) == 0
    for test in stubs:
        assert test.failures, f"{test.name} did not fail on the stubs"
        summary = test.failures[0].summary
        assert test.kind == "not_implemented", f"{test.name}: a stub's verdict is {test.kind}: {summary!r}"
        assert "not implemented yet" in summary, f"{test.name}: unclear report on a stub: {summary!r}"
