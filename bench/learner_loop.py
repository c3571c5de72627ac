"""The learner's loop: ``make test`` for one part, next to the bare cost of ``python -c "import torch"``.

Timed twice per part: on the stubs a learner starts from, and on finished work
(the reference solutions), where every public test runs to its end.
"""

from bench.processes import Measured, python, run


def import_torch() -> Measured:
    return python("-c", "import torch")


def make_test(part: int, impl: str) -> Measured:
    return run(["make", "--no-print-directory", "test", f"PART={part}", f"IMPL={impl}", "DEVICE=cpu"])
