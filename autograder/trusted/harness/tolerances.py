"""The one tolerance policy every comparison uses: by dtype, and by how much arithmetic separates input from output.

Tests never write a tolerance number themselves; they name the kind of
computation they compare (``Depth``) and the harness looks it up here. The
expected value is always computed in float64 and cast, so the budget only has
to cover the learner's rounding, not the oracle's.
"""

from enum import Enum

import torch


class Depth(Enum):
    """How much floating-point arithmetic lies between the inputs and the compared output."""

    EXACT = "exact"  # selections, signs, argmax, copies: no rounding at all
    ELEMENTWISE = "elementwise"  # a few operations per element (sigmoid, x1 * x2)
    REDUCTION = "reduction"  # sums over a dimension (softmax, losses, x·W)
    CHAIN = "chain"  # several reductions in a row (gradients of a loss, a layer stack)
    # Outputs that hinge on differences of huge inputs (softmax of scores near 1e4):
    # merely rounding such an input moves the answer by eps * |input|, so any
    # correct formulation may be off by that much.
    ILL_CONDITIONED = "ill-conditioned"


# (rtol, atol) per dtype and depth. Rows were set from the rounding unit of each
# dtype (eps: 2.2e-16, 1.2e-7, 9.8e-4, 7.8e-3) times a generous factor for the
# number of operations, and checked against the reference's own spread across
# algebraically equal formulations (the variants in autograder/catalog/ must all pass).
TOLERANCES: dict[torch.dtype, dict[Depth, tuple[float, float]]] = {
    torch.float64: {
        Depth.EXACT: (0.0, 0.0),
        Depth.ELEMENTWISE: (1e-12, 1e-14),
        Depth.REDUCTION: (1e-10, 1e-12),
        Depth.CHAIN: (1e-9, 1e-11),
        Depth.ILL_CONDITIONED: (1e-10, 1e-12),
    },
    torch.float32: {
        Depth.EXACT: (0.0, 0.0),
        Depth.ELEMENTWISE: (1e-5, 1e-6),
        Depth.REDUCTION: (1e-4, 1e-5),
        Depth.CHAIN: (5e-4, 5e-5),
        Depth.ILL_CONDITIONED: (3e-3, 1e-4),
    },
    torch.float16: {
        Depth.EXACT: (0.0, 0.0),
        Depth.ELEMENTWISE: (5e-3, 1e-3),
        Depth.REDUCTION: (1e-2, 5e-3),
        Depth.CHAIN: (3e-2, 1e-2),
        Depth.ILL_CONDITIONED: (5e-2, 1e-2),
    },
    torch.bfloat16: {
        Depth.EXACT: (0.0, 0.0),
        Depth.ELEMENTWISE: (3e-2, 1e-2),
        Depth.REDUCTION: (6e-2, 3e-2),
        Depth.CHAIN: (1e-1, 5e-2),
        Depth.ILL_CONDITIONED: (1.5e-1, 5e-2),
    },
}

# Accelerators may reorder reductions and use fused kernels; this is the only
# place a test's tolerance grows with the device. TF32 stays off while grading.
DEVICE_FACTOR: dict[str, float] = {"cpu": 1.0, "cuda": 4.0, "mps": 8.0}


def tolerance(dtype: torch.dtype, depth: Depth, device: str = "cpu") -> tuple[float, float]:
    """(rtol, atol) for comparing a ``dtype`` result of a ``depth`` computation on ``device``."""
    if not dtype.is_floating_point:  # integer and boolean results are compared exactly
        return 0.0, 0.0
    rtol, atol = TOLERANCES[dtype][depth]
    factor = DEVICE_FACTOR.get(torch.device(device).type, 1.0)
    return rtol * factor, atol * factor
