"""The GPU comparison of ``make bench``: its budget rule, and its plumbing with the CPU standing in for the GPU."""

from bench.devices import NOISE_ABSOLUTE, DeviceTimes, compare


def times(cpu: float, accelerator: float, operators: int, launch: float) -> DeviceTimes:
    return DeviceTimes("t", cpu, accelerator, operators, operators * launch)


def test_a_test_may_lose_its_launches_and_the_noise_margin_but_no_more():
    launch = 20e-6
    within = 0.010 + 100 * launch + 0.001  # 100 launches, then 1 ms: inside 10% of 10 ms plus 2 ms
    assert not times(0.010, within, 100, launch).over_budget
    beyond = 0.010 + 100 * launch + 0.001 + NOISE_ABSOLUTE + 0.0005  # 1.5 ms past the margin
    assert times(0.010, beyond, 100, launch).over_budget
    assert times(0.010, 0.010 + 0.004, 0, launch).over_budget  # no operator on the device: nothing to excuse 4 ms
    assert not times(0.010, 0.002, 50, launch).over_budget  # faster on the device


def test_compare_times_every_test_on_both_devices_and_counts_its_operators():
    rows, launch = compare("cpu", parts=[1], apis=["softmax"])
    assert launch >= 0
    assert len(rows) >= 5
    for row in rows:
        assert row.cpu > 0 and row.accelerator > 0
        assert "DEVICE" in row.test and "cpu" not in row.test.split("::")[-1]
    assert all(row.operators > 0 for row in rows)  # every softmax test runs operators on its device
