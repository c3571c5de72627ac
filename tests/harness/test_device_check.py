"""The device check: one graded test per API from the table, judged on the trusted side, counted for working code."""

from autograder.sandboxed.loader import Implementation
from autograder.shared.api import PARTS
from autograder.shared.device_cases import cases_of
from autograder.shared.paths import REPO_ROOT
from autograder.shared.verdicts import WrongDevice
from autograder.trusted.harness.device_check import TEST_SUFFIX, judge, only_for_working_functions
from autograder.trusted.harness.results import Outcome
from autograder.trusted.harness.run import run_suite


def test_every_api_of_parts_1_to_3_has_a_device_case():
    for number in (1, 2, 3):
        assert [c.api for c in cases_of(number)] == list(PARTS[number].api_names)


def _outcome(key: str, api: str, status: str, summary: str = "") -> Outcome:
    return Outcome(key=key, name=key, api=api, points=1, suite="public", status=status, summary=summary)


def test_a_passed_device_check_counts_only_when_the_other_tests_of_its_api_pass():
    outcomes = [
        _outcome("t.py::test_softmax_rows", "softmax", "failed", "rows do not sum to 1"),
        _outcome(f"d.py::test_softmax{TEST_SUFFIX}", "softmax", "passed"),
        _outcome("t.py::test_linear", "linear", "passed"),
        _outcome(f"d.py::test_linear{TEST_SUFFIX}", "linear", "passed"),
    ]
    gated = {o.key: o for o in only_for_working_functions(outcomes)}
    softmax = gated[f"d.py::test_softmax{TEST_SUFFIX}"]
    assert softmax.status == "failed" and "rows do not sum to 1" in softmax.summary
    assert gated[f"d.py::test_linear{TEST_SUFFIX}"].status == "passed"


def test_an_identity_function_earns_nothing_from_the_device_check():
    learner = Implementation(REPO_ROOT / "solutions", "reference").with_override("softmax", lambda z, dim=-1: z)
    tests = run_suite(learner, parts=[1], apis=["softmax"], device="cpu")
    (device_test,) = [t for t in tests if t.key.endswith(TEST_SUFFIX)]
    assert device_test.score == 0 and "counts once its other tests pass" in device_test.failures[0].summary


def test_the_trusted_side_reads_the_workers_answer_with_suspicion():
    expected = [{"path": "output", "device": "cpu", "dtype": "float32", "shape": [2]}]
    for reply in (None, [], {"outputs": "x"}, {"outputs": [1]}):
        try:
            judge("softmax", expected, reply, "lazy")
        except AssertionError as failure:
            assert "no readable answer" in str(failure)
        else:
            raise AssertionError(f"accepted {reply!r}")
    placed = [{"path": "output", "device": "cpu", "dtype": "float32", "shape": [2], "origin": "made by torch.zeros"}]
    try:
        judge("softmax", expected, {"outputs": placed}, "lazy")
    except WrongDevice as verdict:
        assert "`output` on cpu" in verdict.summary and "made by torch.zeros" in verdict.summary
    else:
        raise AssertionError("a result on the CPU passed")
    judge("softmax", expected, {"outputs": [{**expected[0], "device": "lazy"}]}, "lazy")  # the right answer passes
