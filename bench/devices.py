"""Every test on an accelerator next to the same test on the CPU, judged against the launch overhead it cannot avoid.

The GPU figure of ``make bench``, measured only where ``torch.cuda`` finds a
device (elsewhere the table says it was skipped). Both devices run the hidden
and public suites in this process with the reference standing in for a
learner, so each test does the same work on both. Each device runs them
twice and each test keeps its faster run: the first accelerator pass pays the
one-time costs (context creation, library handles, kernel loading) that would
otherwise land on whichever test comes first.

What a test may lose on the accelerator is what no implementation can avoid:
for every operator it runs there, one kernel launch followed by a
synchronisation, measured in the same run as the time of a one-element
``add_`` plus ``synchronize`` on the device minus the same ``add_`` on the CPU.
A test is over budget when its accelerator time exceeds its CPU time by more
than that allowance, with a margin for timer noise (``NOISE_RELATIVE`` of its
CPU time plus ``NOISE_ABSOLUTE``).
"""

import re
import time
from dataclasses import dataclass

import pytest
import torch

from autograder.sandboxed.recording import PlainDispatchMode

NOISE_RELATIVE = 0.10
NOISE_ABSOLUTE = 0.002  # seconds
PASSES = 2


@dataclass(frozen=True)
class DeviceTimes:
    test: str  # node id with the device spelled DEVICE
    cpu: float  # seconds, the faster of the CPU passes
    accelerator: float  # seconds, the faster of the accelerator passes
    operators: int  # ATen operators the test ran on the accelerator
    allowance: float  # seconds the accelerator may add: operators x launch

    @property
    def over_budget(self) -> bool:
        return self.accelerator - self.cpu > self.allowance + NOISE_RELATIVE * self.cpu + NOISE_ABSOLUTE


def synchronize(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()
    elif device == "mps":
        torch.mps.synchronize()


def launch_overhead(device: str, repeats: int = 2000) -> float:
    """Seconds one tiny operator costs on ``device`` beyond the same operator on the CPU, synchronised each time."""

    def per_operator(x: torch.Tensor, sync: bool) -> float:
        for _ in range(100):  # warm up the allocator and the kernel
            x.add_(1)
        synchronize(x.device.type)
        started = time.perf_counter()
        for _ in range(repeats):
            x.add_(1)
            if sync:
                synchronize(x.device.type)
        return (time.perf_counter() - started) / repeats

    on_device = per_operator(torch.zeros(1, device=device), sync=True)
    return max(0.0, on_device - per_operator(torch.zeros(1), sync=False))


class _OperatorsOn(PlainDispatchMode):
    """Counts the ATen operators that touch a tensor on one device type."""

    def __init__(self, device: str):
        super().__init__()
        self.device, self.count = device, 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if any(isinstance(a, torch.Tensor) and a.device.type == self.device for a in (*args, *kwargs.values())):
            self.count += 1
        return func(*args, **kwargs)


class _TestClock:
    """pytest plugin: the call-phase time of every passing test, and its operators on ``device``."""

    def __init__(self, device: str):
        self.device = device
        self.seconds: dict[str, float] = {}
        self.operators: dict[str, int] = {}

    def key(self, nodeid: str) -> str:
        return re.sub(rf"\b{self.device}\b", "DEVICE", nodeid)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        counter = _OperatorsOn(self.device)
        with counter:
            result = yield
        self.operators[self.key(item.nodeid)] = counter.count
        return result

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.seconds[self.key(report.nodeid)] = report.duration


def _timed_pass(device: str, parts: list[int], apis: list[str]) -> _TestClock:
    from autograder.sandboxed.loader import Implementation
    from autograder.shared.paths import REPO_ROOT
    from autograder.trusted.harness.run import run_suite

    clock = _TestClock(device)
    learner = Implementation(REPO_ROOT / "solutions", label="reference as a learner")
    run_suite(learner, parts, device=device, apis=apis, plugins=[clock])
    return clock


def compare(accelerator: str, parts: list[int], apis: list[str] = ()) -> tuple[list[DeviceTimes], float]:
    """Every test that passed on both devices, with its times and allowance; and the launch overhead used."""
    runs = {device: [_timed_pass(device, parts, list(apis)) for _ in range(PASSES)] for device in ("cpu", accelerator)}
    launch = launch_overhead(accelerator)
    rows = []
    for test in sorted(set.intersection(*(set(clock.seconds) for clocks in runs.values() for clock in clocks))):
        operators = runs[accelerator][-1].operators.get(test, 0)
        rows.append(
            DeviceTimes(
                test=test,
                cpu=min(clock.seconds[test] for clock in runs["cpu"]),
                accelerator=min(clock.seconds[test] for clock in runs[accelerator]),
                operators=operators,
                allowance=operators * launch,
            )
        )
    return rows, launch
