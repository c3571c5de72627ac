"""A test's points are shared by the device runs that ran, so the maximum is the same on every machine."""

from autograder.harness.scoring import Outcome, gradescope_results, group, render, totals


def outcome(status, variant, summary="", key="t::softmax_a"):
    return Outcome(key, "softmax: a", "softmax", 4, "hidden", status, variant, summary, "values 1, 2")


def test_points_split_over_devices_that_ran():
    tests = group([outcome("passed", "cpu"), outcome("failed", "cuda", "boom"), outcome("skipped", "mps")])
    assert totals(tests) == (2.0, 4.0)


def test_max_score_does_not_depend_on_skipped_devices():
    on_laptop = group([outcome("passed", "cpu"), outcome("skipped", "cuda")])
    on_gpu = group([outcome("passed", "cpu"), outcome("passed", "cuda")])
    assert totals(on_laptop) == totals(on_gpu) == (4.0, 4.0)


def test_table_and_results_show_the_hint_but_hide_hidden_values():
    tests = group([outcome("failed", "cpu", "softmax of [1000]\nlikely cause: subtract the max")])
    table = render(tests)
    assert "likely cause: subtract the max" in table and "Score: 0 / 4" in table
    results = gradescope_results(tests, hidden_detail=False)
    assert results["tests"][0]["max_score"] == 4 and "values 1, 2" not in results["tests"][0]["output"]
