"""A test's points are shared by the device runs that ran; a forbidden call voids the whole exercise; hidden
tests show no values, and every outcome carries its verdict as a kind."""

from autograder.trusted.harness.render import gradescope_results, score_table
from autograder.trusted.harness.results import Outcome, SubmissionResult
from autograder.trusted.harness.scoring import scored_tests, totals


def result(tests) -> SubmissionResult:
    return SubmissionResult("t", tuple(tests))


def outcome(status, variant, summary="", key="t::softmax_a", kind="", suite="hidden", api="softmax"):
    kind = kind or {"failed": "wrong_value"}.get(status, status)
    cause, values = "subtract the max", "values 1, 2"
    return Outcome(key, f"{api}: {key}", api, 4, suite, status, variant, kind, summary, cause, values)


def test_points_split_over_devices_that_ran():
    tests = scored_tests([outcome("passed", "cpu"), outcome("failed", "cuda", "boom"), outcome("skipped", "mps")])
    assert totals(tests) == (2.0, 4.0)


def test_max_score_does_not_depend_on_skipped_devices():
    on_laptop = scored_tests([outcome("passed", "cpu"), outcome("skipped", "cuda")])
    on_gpu = scored_tests([outcome("passed", "cpu"), outcome("passed", "cuda")])
    assert totals(on_laptop) == totals(on_gpu) == (4.0, 4.0)


def test_hidden_tests_show_summary_and_cause_but_never_values():
    tests = scored_tests([outcome("failed", "cpu", "softmax of large logits: wrong values")])
    results = gradescope_results(result(tests))
    shown = results["tests"][0]["output"]
    assert "wrong values" in shown and "likely cause: subtract the max" in shown
    assert "values 1, 2" not in shown and "values 1, 2" not in score_table(result(tests))
    assert "Score: 0 / 4" in score_table(result(tests))


def test_public_tests_show_the_values():
    tests = scored_tests([outcome("failed", "cpu", "softmax of [1000]: wrong values", suite="public")])
    assert "values 1, 2" in gradescope_results(result(tests))["tests"][0]["output"]
    assert "values 1, 2" in score_table(result(tests))


def test_results_json_carries_the_kind_key_and_api():
    tests = scored_tests([outcome("failed", "cpu", "it hung", kind="timeout"), outcome("passed", "cpu", key="t::b")])
    entries = gradescope_results(result(tests))["tests"]
    assert [e["extra_data"] for e in entries] == [
        {"kind": "timeout", "key": "t::softmax_a", "api": "softmax"},
        {"kind": "passed", "key": "t::b", "api": "softmax"},
    ]
    assert "timeout" in score_table(result(tests))


def test_hidden_visibility_is_the_instructors_choice():
    tests = scored_tests([outcome("passed", "cpu"), outcome("passed", "cpu", key="t::public", suite="public")])
    assert [e["visibility"] for e in gradescope_results(result(tests))["tests"]] == ["visible", "visible"]
    chosen = gradescope_results(result(tests), hidden_visibility="after_due_date")["tests"]
    assert [e["visibility"] for e in chosen] == ["after_due_date", "visible"]


def test_a_forbidden_call_in_one_test_voids_every_test_of_that_api():
    reason = "softmax called torch.softmax, which Part 1 does not allow; this exercise earns no credit"
    tests = scored_tests(
        [
            outcome("passed", "cpu", key="t::shape"),
            outcome("skipped", "cuda", key="t::shape"),
            outcome("failed", "cpu", reason, key="t::values", kind="forbidden_call"),
            outcome("passed", "cpu", key="t::other", api="sigmoid"),
        ]
    )
    by_key = {t.key: t for t in tests}
    assert by_key["t::shape"].score == by_key["t::values"].score == 0
    assert by_key["t::shape"].max_score == 4  # the skipped device run stays skipped
    assert {t.kind for t in tests if t.api == "softmax"} == {"forbidden_call"}
    assert all(t.failures[0].summary == reason for t in tests if t.api == "softmax")
    assert by_key["t::other"].passed  # another exercise keeps its points
    assert score_table(result(tests)).count(reason) == 1  # one line for the exercise, not one per test
