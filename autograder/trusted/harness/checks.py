"""Assertions that explain themselves: every failure says what was tried, what was expected, what came back, and why.

A failing check raises ``GradingFailure`` with structured fields (see
``feedback.py``): ``summary`` names the case and the property that failed
(``LayerNorm on nearly constant rows: wrong values``), ``cause`` the likely
cause, and ``values`` the evidence (the inputs' dtypes and shapes, the expected
and returned values). The public tests show all three; hidden tests show the
summary and the cause only, so that their inputs and the reference's outputs
never leak. ``evidence`` keeps the objects the values were rendered from, for
the project's own check that no hidden output quotes them.
"""

from collections.abc import Mapping

import torch

from autograder.shared.feedback import hint_text
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
        shape = tuple(value.shape)
        return f"{str(value.dtype).removeprefix('torch.')} {shape} on {value.device.type}"
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
    failed: str,
    inputs,
    expected: str,
    got: str,
    cause: str,
    detail: str = "",
    evidence: Mapping[str, object] | None = None,
    kind: str = "wrong_value",
) -> None:
    """Raise the failure of ``case``: ``failed`` names the property (value-free), the rest is evidence."""
    lines = []
    if inputs:
        lines.append(f"input: {describe_inputs(inputs)}")
    lines += [f"expected: {expected}", f"got: {got}"]
    if detail:
        lines.append(detail)
    summary = f"{case}: {failed}" if failed else case
    raise GradingFailure(summary, cause, "\n".join(lines), {**(inputs or {}), **(evidence or {})}, kind)


def expect_tensor_like(got, expected: torch.Tensor, *, case: str, inputs=None, cause: str = "") -> None:
    """Type, shape, dtype and device of ``got`` must match ``expected``."""
    if not isinstance(got, torch.Tensor):
        _fail(
            case,
            "not a tensor",
            inputs,
            f"a tensor {describe(expected)}",
            describe(got),
            cause or "return a torch.Tensor",
        )
    if got.shape != expected.shape:
        _fail(
            case,
            "wrong shape",
            inputs,
            f"shape {tuple(expected.shape)}",
            f"shape {tuple(got.shape)}",
            cause or "check which dimension you reduce over and whether you kept it (keepdim)",
        )
    if got.dtype != expected.dtype:
        _fail(
            case,
            "wrong dtype",
            inputs,
            f"dtype {expected.dtype}",
            f"dtype {got.dtype}",
            "results must keep the input's dtype: avoid hard-coded dtype= and Python floats turned into new tensors",
        )
    if got.device.type != expected.device.type:
        _fail(
            case,
            "wrong device",
            inputs,
            f"a tensor on {expected.device.type}",
            f"a tensor on {got.device.type}",
            "create new tensors with device=<input>.device (or *_like) instead of the default device",
            kind="wrong_device",
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
    n_bad = int((~close).sum())
    summary_got = f"{got_v:.6g} at index {where} ({n_bad} of {close.numel()} entries differ)"
    failed = "wrong values"
    if not torch.isfinite(torch.tensor(got_v)) and torch.isfinite(torch.tensor(exp_v)):
        summary_got = f"{got_v} at index {where}: a non-finite value where a finite one belongs"
        failed = "non-finite values where finite ones belong"
    detail = f"expected values: {preview(exp64)}\n     got values: {preview(got64)}"
    _fail(
        case,
        failed,
        inputs,
        f"{exp_v:.6g} at index {where} (tolerance rtol={rtol:g}, atol={atol:g})",
        summary_got,
        cause,
        detail,
        {"expected": expected, "got": got},
    )


def expect_equal(got, expected: torch.Tensor, *, case: str, inputs=None, cause: str = "") -> None:
    """Exact match: shape, dtype, device and every value."""
    expect_close(got, expected, case=case, depth=Depth.EXACT, inputs=inputs, cause=cause)


def expect(condition: bool, *, case: str, expected: str, got: str, cause: str = "", inputs=None) -> None:
    """A property check: ``condition`` must hold; the strings say what it means."""
    if not condition:
        _fail(case, "", inputs, expected, got, cause)


def snapshot(inputs: Mapping[str, object]) -> dict[str, torch.Tensor]:
    """Copies of the tensor inputs, to prove later that a function did not modify them."""
    return {k: v.detach().clone() for k, v in inputs.items() if isinstance(v, torch.Tensor)}


def expect_unchanged(before: Mapping[str, torch.Tensor], after: Mapping[str, object], *, case: str) -> None:
    """The function must not have written into its inputs."""
    for name, copy in before.items():
        now = after[name]
        if not torch.equal(copy, now.detach()):
            _fail(
                case,
                f"modified its argument {name!r} in place",
                None,
                f"argument {name!r} left unchanged",
                f"{name!r} was modified in place",
                "use out-of-place operations (x - m, not x -= m / x.sub_(m)) on your inputs",
            )
