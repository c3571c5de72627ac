"""Assertions that explain themselves: every failure says what was tried, what was expected, what came back, and why.

A failing check raises ``GradingFailure`` with structured fields (see
``feedback.py``): ``summary`` names the case and the property that failed
(``LayerNorm on nearly constant rows: wrong values``), ``cause`` the likely
cause, and ``values`` the evidence (the inputs' dtypes and shapes, the expected
and returned values). The public tests show all three; hidden tests show the
summary and the cause only, so that their inputs and the reference's outputs
never leak. ``evidence`` keeps the objects the values were rendered from, for
the project's own check that no hidden output quotes them. Each check decides
here *what* failed; the words are ``hints/checks.py``'s (a ``check_hints.Mismatch`` per property).
"""

from collections.abc import Mapping

import torch

from autograder.shared.feedback import hint_text
from autograder.shared.hints import checks as check_hints
from autograder.shared.hints import values as value_hints
from autograder.trusted.harness.tolerances import Depth, tolerance


class GradingFailure(AssertionError):
    """A test's verdict on the learner's output, already phrased as a hint."""

    kind = "wrong_value"

    def __init__(
        self,
        summary: str,
        cause: str = "",
        values: str = "",
        evidence: Mapping[str, object] | None = None,
        kind: str = "wrong_value",
    ):
        super().__init__(hint_text(summary, cause, values))
        self.kind = kind
        self.summary = summary
        self.cause = cause
        self.values = values
        self.evidence = dict(evidence or {})


def describe(value) -> str:
    """'float32 (4, 3) on cpu' for a tensor, the type name for anything else."""
    if isinstance(value, torch.Tensor):
        return value_hints.tensor_description(
            str(value.dtype).removeprefix("torch."), tuple(value.shape), value.device.type
        )
    return f"{type(value).__name__}"


def preview(value, limit: int = 8) -> str:
    """A short rendering of a tensor's values (the first ``limit`` entries)."""
    if not isinstance(value, torch.Tensor):
        return repr(value)[:200]
    flat = value.detach().reshape(-1)[:limit].to("cpu", torch.float64 if value.is_floating_point() else None)
    items = ", ".join(f"{v:.6g}" if value.is_floating_point() else str(int(v)) for v in flat.tolist())
    more = ", ..." if value.numel() > limit else ""
    return f"[{items}{more}]"


def describe_inputs(inputs: Mapping[str, object]) -> str:
    return ", ".join(f"{name}: {describe(v)}" for name, v in inputs.items())


def _fail(
    case: str,
    inputs,
    mismatch: check_hints.Mismatch,
    evidence: Mapping[str, object] | None = None,
    kind: str = "wrong_value",
) -> None:
    """Raise the failure of ``case``: ``mismatch.failed`` names the property (value-free), the rest is evidence."""
    described = describe_inputs(inputs) if inputs else ""
    values = check_hints.check_values(described, mismatch.expected, mismatch.got, mismatch.detail)
    summary = check_hints.check_summary(case, mismatch.failed)
    raise GradingFailure(summary, mismatch.cause, values, {**(inputs or {}), **(evidence or {})}, kind)


def expect_tensor_like(got, expected: torch.Tensor, *, case: str, inputs=None, cause: str = "") -> None:
    """Type, shape, dtype and device of ``got`` must match ``expected``."""
    if not isinstance(got, torch.Tensor):
        _fail(case, inputs, check_hints.not_a_tensor(describe(expected), describe(got), cause))
    if got.shape != expected.shape:
        _fail(case, inputs, check_hints.wrong_shape(tuple(expected.shape), tuple(got.shape), cause))
    if got.dtype != expected.dtype:
        _fail(case, inputs, check_hints.wrong_dtype(expected.dtype, got.dtype))
    if got.device.type != expected.device.type:
        _fail(
            case, inputs, check_hints.tensor_on_wrong_device(expected.device.type, got.device.type), kind="wrong_device"
        )


def expect_close(
    got,
    expected: torch.Tensor,
    *,
    case: str,
    depth: Depth,
    inputs: Mapping[str, object] | None = None,
    cause: str = "",
) -> None:
    """``got`` matches ``expected`` in type, shape, dtype, device and, within the policy tolerance, in value.

    ``expected`` should be computed in float64 and cast to the dtype the
    learner must return; NaN and infinities must appear in the same places.
    """
    expect_tensor_like(got, expected, case=case, inputs=inputs, cause=cause)
    got64 = got.detach().to("cpu", torch.float64)
    exp64 = expected.detach().to("cpu", torch.float64)
    rtol, atol = tolerance(expected.dtype, depth, expected.device.type)
    close = torch.isclose(got64, exp64, rtol=rtol, atol=atol, equal_nan=True)
    if bool(close.all()):
        return
    bad = (~close).nonzero()[0].tolist()
    where = tuple(bad) if bad else ()
    got_v, exp_v = got64[where].item(), exp64[where].item()
    previews = (preview(exp64), preview(got64))
    if not torch.isfinite(torch.tensor(got_v)) and torch.isfinite(torch.tensor(exp_v)):
        mismatch = check_hints.non_finite_values(exp_v, got_v, where, (rtol, atol), previews, cause)
    else:
        differing = int((~close).sum())
        mismatch = check_hints.wrong_values(
            exp_v, got_v, where, differing, close.numel(), (rtol, atol), previews, cause
        )
    _fail(case, inputs, mismatch, {"expected": expected, "got": got})


def expect_equal(got, expected: torch.Tensor, *, case: str, inputs=None, cause: str = "") -> None:
    """Exact match: shape, dtype, device and every value."""
    expect_close(got, expected, case=case, depth=Depth.EXACT, inputs=inputs, cause=cause)


def expect(condition: bool, *, case: str, expected: str, got: str, cause: str = "", inputs=None) -> None:
    """A property check: ``condition`` must hold; the strings say what it means."""
    if not condition:
        _fail(case, inputs, check_hints.Mismatch("", expected, got, cause))


def snapshot(inputs: Mapping[str, object]) -> dict[str, torch.Tensor]:
    """Copies of the tensor inputs, to prove later that a function did not modify them."""
    return {k: v.detach().clone() for k, v in inputs.items() if isinstance(v, torch.Tensor)}


def expect_unchanged(before: Mapping[str, torch.Tensor], after: Mapping[str, object], *, case: str) -> None:
    """The function must not have written into its inputs."""
    for name, copy in before.items():
        now = after[name]
        if not torch.equal(copy, now.detach()):
            _fail(case, None, check_hints.modified_in_place(name))
