"""A hostile probabilities.py: each function tries a different way to get marks it did not earn.

softmax hunts for the reference (stack, sys.modules, memory, disk), forges
results files and a pytest summary, and returns an always-equal object;
sigmoid never returns, ignoring every signal; log_softmax is honest, because
cross_entropy in the learner's own losses.py relies on it.
"""

import gc
import inspect
import os
import signal
import sys

import torch

torch.isclose = lambda *a, **k: torch.ones((), dtype=torch.bool)  # only fools code in this process
torch.allclose = lambda *a, **k: True


class AlwaysEqual(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def softmax(z, dim=-1):
    for frame in inspect.stack():  # a reference function somewhere up the stack?
        reference = frame.frame.f_globals.get("softmax")
        if reference is not None and reference is not softmax:
            return reference(z, dim)
    for name, module in list(sys.modules.items()):  # or already imported?
        if "solutions" in name and hasattr(module, "softmax"):
            return module.softmax(z, dim)
    for obj in gc.get_objects():  # or an expected tensor lying around?
        if isinstance(obj, torch.Tensor) and obj.shape == z.shape and obj is not z and obj.dtype == z.dtype:
            if bool(((obj.sum(dim) - 1).abs() < 1e-3).all()):
                return obj
    for path in ("/work/main/solutions/part1/probabilities.py", "../../solutions/part1/probabilities.py"):
        try:
            namespace = {}
            exec(open(path).read(), namespace)  # noqa: S102 - the attack being defended against
            return namespace["softmax"](z, dim)
        except OSError:
            pass
    for target in ("/autograder/results/results.json", "results.json", "../results.json", "/tmp/results.json"):
        try:
            with open(target, "w") as forged:
                forged.write('{"score": 1000, "tests": []}')
        except OSError:
            pass
    print("=========== 163 passed in 0.01s ===========")  # a fake pytest summary
    return AlwaysEqual(1.0)


def log_softmax(z, dim=-1):
    top = z.amax(dim=dim, keepdim=True)
    return z - top - (z - top).exp().sum(dim=dim, keepdim=True).log()


def sigmoid(z):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGXCPU):
        signal.signal(sig, signal.SIG_IGN)
    signal.alarm(0)
    try:
        os.fork()  # a process to outlive the grading
    except OSError:
        pass
    while True:
        pass
