"""The words of a failed check on a learner's output: what property failed, expected, got, the likely cause.

The learner reads them in the score table and ``feedback.md`` when a returned
value has the wrong type, shape, dtype, device or values, or changed its input;
why a test was skipped (no reference, no such device), or could not use what came back.
Imported by the trusted harness only (``checks.py``, ``plugin.py``).
"""

from typing import NamedTuple

from autograder.shared.hints.values import Hint, error_says


class Mismatch(NamedTuple):
    """A check's failed property: its value-free name, what was expected, what came back, and the likely cause."""

    failed: str
    expected: str
    got: str
    cause: str = ""
    detail: str = ""


def check_summary(case: str, failed: str) -> str:
    """'softmax on large logits: wrong values': the case and the property that failed, never a value."""
    return f"{case}: {failed}" if failed else case


def check_values(inputs: str, expected: str, got: str, detail: str = "") -> str:
    """The evidence of a failed check: the inputs (described), what was expected and what came back."""
    lines = [f"input: {inputs}"] if inputs else []
    lines += [f"expected: {expected}", f"got: {got}"]
    if detail:
        lines.append(detail)
    return "\n".join(lines)


def not_a_tensor(expected: str, got: str, cause: str = "") -> Mismatch:
    return Mismatch("not a tensor", f"a tensor {expected}", got, cause or "return a torch.Tensor")


def wrong_shape(expected: tuple, got: tuple, cause: str = "") -> Mismatch:
    return Mismatch(
        "wrong shape",
        f"shape {expected}",
        f"shape {got}",
        cause or "check which dimension you reduce over and whether you kept it (keepdim)",
    )


def wrong_dtype(expected: object, got: object) -> Mismatch:
    return Mismatch(
        "wrong dtype",
        f"dtype {expected}",
        f"dtype {got}",
        "results must keep the input's dtype: avoid hard-coded dtype= and Python floats turned into new tensors",
    )


def tensor_on_wrong_device(expected: str, got: str) -> Mismatch:
    return Mismatch(
        "wrong device",
        f"a tensor on {expected}",
        f"a tensor on {got}",
        "create new tensors with device=<input>.device (or *_like) instead of the default device",
    )


def _expected_value(value: float, index: tuple, rtol: float, atol: float) -> str:
    return f"{value:.6g} at index {index} (tolerance rtol={rtol:g}, atol={atol:g})"


def _value_previews(expected: str, got: str) -> str:
    return f"expected values: {expected}\n     got values: {got}"


def wrong_values(
    expected: float,
    got: float,
    index: tuple,
    differing: int,
    entries: int,
    tolerance: tuple[float, float],
    previews: tuple[str, str],
    cause: str = "",
) -> Mismatch:
    """Values outside the tolerance (rtol, atol): the first one that differs, how many do, the first few of each."""
    return Mismatch(
        "wrong values",
        _expected_value(expected, index, *tolerance),
        f"{got:.6g} at index {index} ({differing} of {entries} entries differ)",
        cause,
        _value_previews(*previews),
    )


def non_finite_values(
    expected: float,
    got: float,
    index: tuple,
    tolerance: tuple[float, float],
    previews: tuple[str, str],
    cause: str = "",
) -> Mismatch:
    """A NaN or an infinity where the reference has a finite value."""
    return Mismatch(
        "non-finite values where finite ones belong",
        _expected_value(expected, index, *tolerance),
        f"{got} at index {index}: a non-finite value where a finite one belongs",
        cause,
        _value_previews(*previews),
    )


def modified_in_place(name: str) -> Mismatch:
    return Mismatch(
        f"modified its argument {name!r} in place",
        f"argument {name!r} left unchanged",
        f"{name!r} was modified in place",
        "use out-of-place operations (x - m, not x -= m / x.sub_(m)) on your inputs",
    )


NO_REFERENCE = "the reference solutions are not part of this release"  # why a hidden test is skipped


def device_unavailable(device: str) -> str:
    """Why a test of one device was skipped."""
    return f"{device} is not available on this machine"


def unusable_result(api: str, error_type: str, message: str) -> Hint:
    """The test itself raised on what the learner's code returned (plugin.py): not a check, a broken return."""
    return Hint(
        f"the test could not use what {api} returned ({error_type})",
        "check the return type and shape against the docstring",
        error_says(message),
    )
