"""The device probe: run one API's device case on another device, next to the learner's objects.

The fake tensors of a simulated run (see ``placement.py``) exist only here: what
goes back is plain data, the layout of what the API returned (each tensor's
device, dtype, shape and, when off the device, the learner's line that made it)
or the sentence saying which tensor ended up on the wrong device. The trusted
side (``device_check.py``) judges it against the same call on the CPU.
"""

from autograder.sandboxed.placement import device_problem, layout, on_device, raised_at
from autograder.sandboxed.probes import probe
from autograder.shared.device_cases import case_of
from autograder.shared.hints import probes as probe_hints
from autograder.shared.verdicts import Verdict, WrongDevice


@probe
def outputs_on_device(api: str, subject, device: str, args: list, kwargs: dict) -> dict:
    """Move ``subject`` (a function or a learner object) and the inputs to ``device``, run the case, describe it.

    Returns ``{"outputs": layout}``, ``{"wrong_device": problem}``, or
    ``{"inconclusive": why}`` when the simulation could not follow the code.
    """
    case = case_of(api)
    with on_device(device, reads_values=case.reads_values) as place:
        try:
            moved_args, moved_kwargs = place.move(list(args)), place.move(dict(kwargs))
            result = case.run(place.move(subject), *moved_args, device=place.device, **moved_kwargs)
            return {"outputs": place.describe(result)}
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - every failure becomes data for the trusted side to judge
            if isinstance(error, WrongDevice):
                return {"wrong_device": error.problem}
            problem = "" if isinstance(error, Verdict) else device_problem(error)
            if problem:
                return {"wrong_device": problem}
            if place.inconclusive:
                return {"inconclusive": place.inconclusive}
            what = error.summary if isinstance(error, Verdict) else raised_at(error)
            return {"wrong_device": probe_hints.raised_on_device(place.label, what)}


@probe
def outputs_on_cpu(api: str, subject, args: list, kwargs: dict) -> list[dict]:
    """The layout of the same case run on the CPU, for a case whose run cannot cross the sandbox (``cpu_in_worker``).

    A learner's error propagates as from any call of the API (a stub's "not implemented yet" included).
    """
    return layout(case_of(api).run(subject, *args, device="cpu", **kwargs))
