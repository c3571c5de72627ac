"""The graded device test of every API: "works on the inputs' device", judged on the trusted side.

For each entry of ``device_cases`` the test calls the API on CPU inputs (as
every other test does: a stub fails here with "not implemented yet"), then asks
the ``outputs_on_device`` probe to run the same call with everything moved to
the test's device, and compares: every tensor returned must be on that device,
with the dtype and shape the CPU call gave. The ``device`` fixture decides where:
``cpu`` means a simulated GPU (any machine can run it), ``cuda`` and ``mps`` the
real ones where present, a visible skip elsewhere.

The check compares the API with itself, so it certifies a *working* function on
another device: its points count only once every other test of the API passes
(``only_for_working_functions``, applied where the plugin gathers the outcomes).

A part's public tests get one such test per API with::

    from autograder.trusted.harness.device_check import device_tests

    globals().update(device_tests(part=1))
"""

from collections.abc import Callable
from dataclasses import replace

import torch

from autograder.sandboxed.placement import SIMULATED, device_label, layout
from autograder.shared.device_cases import Draw, case_of, cases_of
from autograder.shared.feedback import shows_values
from autograder.shared.hints import probes as probe_hints
from autograder.shared.verdicts import WrongDevice
from autograder.trusted.harness.checks import GradingFailure
from autograder.trusted.harness.grading import graded
from autograder.trusted.harness.results import Outcome

DOC = "keeps its results on the inputs' device (a simulated GPU where there is none)"


def _target_type(device: str) -> str:
    return SIMULATED if device == "cpu" else torch.device(device).type


def check_on_device(impl, api: str, device: str, gen: torch.Generator) -> None:
    """Run ``api``'s device case on the CPU and on ``device``; raise a verdict when the two disagree."""
    case = case_of(api)
    draw = Draw(impl, gen)
    inputs = case.inputs(draw)
    subject = getattr(impl, api)
    if case.build is not None:
        built = case.build(draw)
        subject = subject(*built.args, **built.kwargs)
    if case.cpu_in_worker:
        expected = impl.probe(api, "outputs_on_cpu", api, subject, list(inputs.args), dict(inputs.kwargs))
        if not (isinstance(expected, list) and all(isinstance(e, dict) for e in expected)):
            raise GradingFailure(probe_hints.device_check_unreadable(api, "the CPU"))
    else:
        expected = layout(case.run(subject, *inputs.args, device="cpu", **inputs.kwargs))
    reply = impl.probe(api, "outputs_on_device", api, subject, device, list(inputs.args), dict(inputs.kwargs))
    judge(api, expected, reply, _target_type(device))


def judge(api: str, expected: list[dict], reply, target: str) -> None:
    """The probe's ``reply`` against the CPU run's layout. The reply comes from the learner's process: check it all."""
    where = device_label(target)
    if not isinstance(reply, dict):
        raise GradingFailure(probe_hints.device_check_unreadable(api, where))
    if isinstance(reply.get("wrong_device"), str):
        raise WrongDevice(api, reply["wrong_device"][:2000])
    if isinstance(reply.get("inconclusive"), str):
        return  # the simulation could not follow the code (see placement.py): the benefit of the doubt
    got = reply.get("outputs")
    if not (isinstance(got, list) and all(isinstance(e, dict) for e in got)):
        raise GradingFailure(probe_hints.device_check_unreadable(api, where))
    for entry in got:
        if "device" in entry and entry.get("device") != target:
            origin = entry.get("origin") if isinstance(entry.get("origin"), str) else ""
            path = str(entry.get("path"))[:100]
            raise WrongDevice(
                api, probe_hints.returns_off_device(path, f"{entry.get('device')!s:.20}", where, origin[:1000])
            )
    placed = [{k: v for k, v in e.items() if k not in ("device", "origin")} for e in got]
    if placed != [{k: v for k, v in e.items() if k != "device"} for e in expected]:
        raise GradingFailure(probe_hints.differs_from_cpu(api, where, _brief(expected), _brief(placed)))


def _brief(entries: list[dict]) -> str:
    parts = []
    for e in entries[:8]:
        if "shape" in e:
            parts.append(f"{e.get('path')}: {e.get('dtype')} {tuple(e.get('shape') or ())}")
        else:
            parts.append(f"{e.get('path')}: {e.get('type')}")
    return "; ".join(parts)[:600] + ("; ..." if len(entries) > 8 else "")


TEST_SUFFIX = "_on_the_inputs_device"


def only_for_working_functions(outcomes: list[Outcome]) -> list[Outcome]:
    """A passed device check counts only when every other test of its API passed too.

    The check compares an API with itself on two devices, so a wrong function that
    is wrong alike everywhere (``return z`` for softmax) would pass it: it certifies
    a working function on another device, and a function that is not working yet
    earns nothing from it.
    """
    first_failure: dict[str, Outcome] = {}
    for o in outcomes:  # a public failure first: its evidence may be shown, a hidden one's never is
        if o.status == "failed" and not o.key.endswith(TEST_SUFFIX):
            if o.api not in first_failure or (first_failure[o.api].suite != "public" and o.suite == "public"):
                first_failure[o.api] = o
    return [
        _waiting_on(o, first_failure[o.api])
        if o.status == "passed" and o.key.endswith(TEST_SUFFIX) and o.api in first_failure
        else o
        for o in outcomes
    ]


def _waiting_on(check: Outcome, failure: Outcome) -> Outcome:
    """The device check failed with the hint of the failure it waits on (its evidence only where that may show)."""
    return replace(
        check,
        status="failed",
        kind=failure.kind,  # the verdict of what still fails: the device check adds no kind of its own
        summary=f"{check.api} {COUNTS_ONCE_WORKING}:\n{failure.summary}",
        cause=failure.cause,
        values=failure.values if shows_values(failure.suite) else "",
    )


COUNTS_ONCE_WORKING = "runs on the inputs' device, and this check counts once its other tests pass; the first to fix"


def device_tests(part: int) -> dict[str, Callable]:
    """One graded test function per device case of ``part``, named ``test_<api>_on_the_inputs_device``."""
    tests = {}
    for case in cases_of(part):

        def test(impl, device, gen, _api=case.api):
            check_on_device(impl, _api, device, gen)

        test.__name__ = test.__qualname__ = f"test_{case.api}{TEST_SUFFIX}"
        test.__doc__ = DOC
        tests[test.__name__] = graded(case.api, points=case.points)(test)
    return tests
