"""The hidden suites' one comparison: run the learner and the reference on the same inputs and compare.

The reference runs in float64 on the CPU (the oracle's working precision) and
its result is cast to the dtype and device the learner must return; the
learner's call is also checked for writing into its inputs.
"""

from collections.abc import Mapping

import torch

from autograder.trusted.harness.checks import expect_close, expect_unchanged, snapshot
from autograder.trusted.harness.tolerances import Depth

FLOAT_DTYPES = (torch.float64, torch.float32, torch.bfloat16)


def to_oracle(value):
    """float64 on the CPU for floating tensors; integer tensors move to the CPU unchanged."""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", torch.float64 if value.is_floating_point() else value.dtype)
    return value


def reference_value(ref, api: str, args: Mapping[str, object], like: torch.Tensor):
    """The reference's answer in float64, cast to ``like``'s dtype and device."""
    out = getattr(ref, api)(*(to_oracle(v) for v in args.values()))
    if isinstance(out, tuple):
        return tuple(o.to(like.device, like.dtype if o.is_floating_point() else o.dtype) for o in out)
    return out.to(like.device, like.dtype if out.is_floating_point() else out.dtype)


def check_against_reference(
    impl,
    ref,
    api: str,
    args: Mapping[str, object],
    *,
    case: str,
    depth: Depth,
    cause: str = "",
    like: torch.Tensor | None = None,
):
    """Call ``impl.<api>(**args)``, prove it left its inputs alone, and compare with the reference."""
    like = like if like is not None else next(v for v in args.values() if isinstance(v, torch.Tensor))
    before = snapshot(args)
    got = getattr(impl, api)(*args.values())  # positional, as the contract orders them
    expect_unchanged(before, args, case=case)
    expected = reference_value(ref, api, args, like)
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            expect_close(
                got,
                expected[0],
                case=case + f" (expected a tuple of {len(expected)})",
                depth=depth,
                cause="return the tuple the docstring describes, in its order",
            )
        for index, (g, e) in enumerate(zip(got, expected, strict=True)):
            expect_close(g, e, case=f"{case}, output {index}", depth=depth, inputs=args, cause=cause)
    else:
        expect_close(got, expected, case=case, depth=depth, inputs=args, cause=cause)
    return got
