"""The hidden Part 3 gradient check shared by every module: the learner's parameter gradients against the reference's.

Autograd runs next to each model (through the ``parameter_grads`` probe), so
the check works in-process and across the grader's sandbox alike.
"""

import torch

from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth


def _cpu(value):
    return value.cpu() if isinstance(value, torch.Tensor) else value


def expect_reference_gradients(impl, ref, api: str, model, reference, *args, device: str, inputs: dict, cause: str,
                               unused_cause: str, upstream: torch.Tensor | None = None) -> None:  # fmt: skip
    """Every parameter of ``model`` gets a gradient, equal (float64) to the one ``reference`` gets for the same call."""
    extra = {} if upstream is None else {"upstream": upstream}
    got = impl.probe(api, "parameter_grads", model, *args, **extra)
    expected = ref.probe(api, "parameter_grads", reference, *map(_cpu, args), **{k: _cpu(v) for k, v in extra.items()})
    missing = sorted(name.removesuffix(":none") for name in got if name.endswith(":none"))
    expect(not missing, case="parameters without a gradient", expected="none", got=str(missing), cause=unused_cause)
    for name, grad in expected.items():
        want = grad.to(device=device, dtype=torch.float64)
        expect_close(got.get(name), want, case=f"gradient of {name}", depth=Depth.CHAIN, inputs=inputs, cause=cause)
