"""One verdict per exercise, and hidden tests that show no values, proved over the whole bug catalog.

Every catalogued bug is graded on every test of its API (public and hidden, in
process, as tests/course/test_catalog.py grades it). Then:

- a bug whose verdict is a forbidden call loses every test of its API, each with the same one-line reason;
- no hidden test's learner-facing output quotes a number from its inputs, its
  expected values or what the learner returned (the objects a check rendered
  its evidence from, kept as ``GradingFailure.evidence``);
- the check itself is shown to catch a planted leak, so it cannot pass vacuously.
"""

import bisect
import math
import re
from dataclasses import replace

import pytest
import torch

from autograder.catalog import load_all
from autograder.sandboxed.loader import Implementation
from autograder.shared.feedback import KINDS, hint_text
from autograder.shared.paths import REPO_ROOT
from autograder.trusted.harness import scoring
from autograder.trusted.harness.checks import GradingFailure
from autograder.trusted.harness.results import ScoredTest
from autograder.trusted.harness.run import run_suite

BUGS = [e for e in load_all() if e.kind == "bug"]
REFERENCE = Implementation(REPO_ROOT / "solutions", "reference")
# A number as it appears in text, not inside a name ('float32', 'part3' hold none).
NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


class EvidenceCapture:
    """pytest plugin: the failure each test raised, by test key (the evidence its values were rendered from)."""

    def __init__(self):
        self.failures: dict[str, list[BaseException]] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.excinfo is not None and call.when == "call":
            self.failures.setdefault(item.nodeid.split("[")[0], []).append(call.excinfo.value)
        return report


@pytest.fixture(scope="module")
def graded_catalog() -> list[tuple[object, list[ScoredTest], dict[str, list[BaseException]]]]:
    graded = []
    for entry in BUGS:
        capture = EvidenceCapture()
        implementation = REFERENCE.with_override(entry.api, entry.replacement)
        tests = run_suite(implementation, parts=[entry.part], apis=[entry.api], device="cpu", plugins=[capture])
        graded.append((entry, tests, capture.failures))
    return graded


def numbers_of(value, limit: int = 200_000) -> list[float]:
    """Every number held by ``value`` (tensors, Python numbers, nested lists and dicts), as floats."""
    if isinstance(value, torch.Tensor):
        if value.is_complex() or value.numel() == 0:
            return []
        return value.detach().reshape(-1)[:limit].to("cpu", torch.float64).tolist()
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [n for item in value for n in numbers_of(item, limit)]
    return []


def _resolution(token: str) -> float:
    """Half a unit in the last printed place of ``token`` ('0.731059' -> 5e-7, '12' -> 0.5)."""
    mantissa, _, exponent = token.lower().lstrip("-").partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


def source_numbers(test_key: str) -> set[float]:
    """The numbers written in a test's source file: constants of the test, not values computed from its inputs."""
    text = (REPO_ROOT / test_key.split("::")[0]).read_text()
    return {float(token) for token in NUMBER.findall(text)}


def leaked_numbers(text: str, evidence: list[float], written: set[float]) -> list[str]:
    """Numbers in ``text`` that quote ``evidence`` (at their printed precision) and are not constants of the test.

    Single-digit integers are not counted: they match some value of almost any tensor ('Part 3').
    """
    leaks = []
    values = sorted(v for v in evidence if math.isfinite(v))
    for token in NUMBER.findall(text):
        number = float(token)
        if number in written or (number.is_integer() and abs(number) < 10 and "." not in token):
            continue
        half = _resolution(token) * (1 + 1e-9)
        nearest = bisect.bisect_left(values, number - half)
        if nearest < len(values) and values[nearest] <= number + half:
            leaks.append(token)
    return leaks


def evidence_of(failures: list[BaseException]) -> list[float]:
    return [n for f in failures if isinstance(f, GradingFailure) for n in numbers_of(f.evidence)]


def hidden_leaks(graded) -> list[tuple[str, str, list[str]]]:
    """(entry, test, leaked numbers) for every failing hidden test whose output quotes its evidence."""
    found = []
    for entry, tests, failures in graded:
        for test in tests:
            if test.suite != "hidden" or not test.failures:
                continue
            evidence = evidence_of(failures.get(test.key, []))
            # What it shows, and what its kept runs hold: the result is saved beside feedback.md.
            held = "\n".join([test.output, *(run.hint for run in test.outcomes)])
            leaks = leaked_numbers(held, evidence, source_numbers(test.key))
            if leaks:
                found.append((entry.id, test.name, leaks))
    return found


def test_no_hidden_test_shows_a_value_of_its_inputs_or_expected_outputs(graded_catalog):
    checked = [t for _, tests, _ in graded_catalog for t in tests if t.suite == "hidden" and t.failures]
    with_evidence = [t for _, tests, failures in graded_catalog for t in tests if evidence_of(failures.get(t.key, []))]
    assert len(checked) >= 100 and len(with_evidence) >= 100, "too few failing hidden tests to prove anything"
    leaks = hidden_leaks(graded_catalog)
    assert not leaks, f"hidden tests quoting values computed on their inputs: {leaks[:5]}"


def shown_whole(tests: list[ScoredTest], failures: dict[str, list[BaseException]]) -> list[ScoredTest]:
    """The tests as they would read if hidden tests showed their values: each one's first check failure, whole."""
    shown = []
    for test in tests:
        first = next((f for f in failures.get(test.key, []) if isinstance(f, GradingFailure)), None)
        shown.append(replace(test, output=hint_text(first.summary, first.cause, first.values)) if first else test)
    return shown


def test_the_leak_check_catches_a_hidden_test_that_shows_its_values(graded_catalog):
    """Planted leaks: hidden tests shown as public ones are, and one hint quoting an expected value."""
    shown = [(e, shown_whole(ts, f), f) for e, ts, f in graded_catalog]
    assert len(hidden_leaks(shown)) >= 50  # most value failures would leak if hidden tests showed values
    entry, tests, failures = next(
        (e, ts, f)
        for e, ts, f in graded_catalog
        if any(t.suite == "hidden" and evidence_of(f.get(t.key, [])) for t in ts)
    )
    test = next(t for t in tests if t.suite == "hidden" and evidence_of(failures.get(t.key, [])))
    value = next(v for v in evidence_of(failures[test.key]) if not float(v).is_integer())
    planted = replace(test.failures[0], summary=f"{test.failures[0].summary} (expected {value:.4f})")
    leaky = scoring.scored_test([planted])
    assert hidden_leaks([(entry, [leaky], failures)]), "a hint quoting an expected value was not caught"


def test_every_test_has_a_known_kind(graded_catalog):
    kinds = {t.kind for _, tests, _ in graded_catalog for t in tests}
    assert kinds <= set(KINDS), kinds - set(KINDS)
    assert {"wrong_value", "forbidden_call", "learner_error"} <= kinds


def test_a_forbidden_call_voids_every_test_of_its_exercise(graded_catalog):
    forbidden = [(e, ts) for e, ts, _ in graded_catalog if any(t.kind == "forbidden_call" for t in ts)]
    assert {e.api for e, _ in forbidden} >= {"softmax", "tanh", "LayerNorm"}, "a forbidden-call bug was not caught"
    for entry, tests in forbidden:
        assert all(t.score == 0 and t.kind == "forbidden_call" for t in tests), entry.id
        assert len({t.failures[0].summary for t in tests}) == 1, f"{entry.id}: one reason for the whole exercise"
    layer_norm = next(ts for e, ts in forbidden if e.api == "LayerNorm")
    # The structure test never reaches forward, where F.layer_norm is called: it loses its points all the same.
    structure = next(t for t in layer_norm if t.key.endswith("test_layernorm_parameters_and_state_dict"))
    assert structure.max_score > 0 and structure.score == 0
    assert "earns no credit" in structure.failures[0].summary
