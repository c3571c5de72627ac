"""Probes: small harness routines that must run right next to the learner's objects.

Most tests only call learner functions and read tensors back, which works the
same in-process and across the grader's sandbox boundary. A few checks need to
stay inside the learner's process: backpropagating through a learner's module
(autograd graphs cannot cross a process boundary), or updating a learner
object's parameters in place and running it again. Those checks are written as
probes and called with ``impl.probe(api, "name", *args)``: in-process they run
here; in the sandboxed grader they run in the worker and only their tensor
results come back, so the trusted side still does all the judging.

Register one with ``@probe`` in ``partN.py`` of this package.
"""

import importlib
from collections.abc import Callable

PROBES: dict[str, Callable] = {}


def probe(function: Callable) -> Callable:
    """Register ``function`` under its own name."""
    if function.__name__ in PROBES:
        raise ValueError(f"probe {function.__name__!r} is registered twice")
    PROBES[function.__name__] = function
    return function


def get(name: str) -> Callable:
    if not PROBES:
        for module in ("common", "part2", "part3", "part4", "part5", "devices"):
            try:
                importlib.import_module(f"{__name__}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{__name__}.{module}":
                    raise
    return PROBES[name]
