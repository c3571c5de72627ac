"""Gradient checking: central finite differences in float64, and a report that names the wrong gradient.

A hand-written backward pass is right when, for every parameter p, the
gradient it computes matches the slope of the loss measured numerically:

    dL/dp[i]  ~  (L(p + eps·e_i) - L(p - eps·e_i)) / (2·eps)

The error of this central difference shrinks like eps², so in float64 with
eps = 1e-6 it agrees with the exact gradient to about 1e-8 relative. Learners
can use it on their own layers (see ``assignments/part2/README.md``)::

    from autograder.trusted.harness.gradcheck import compare_gradients, numerical_gradient

    layer = Linear(3, 2)
    layer.W, layer.b = layer.W.double(), layer.b.double()
    x = torch.randn(4, 3, dtype=torch.float64)
    upstream = torch.randn(4, 2, dtype=torch.float64)

    def loss_of(W):                       # the loss as a function of W alone
        return ((x @ W + layer.b) * upstream).sum()

    layer.forward(x)
    layer.backward(upstream)
    report = compare_gradients({"dW": layer.dW}, {"dW": numerical_gradient(loss_of, layer.W)})
    print(report)                         # 'all gradients match' or which one is off, where, by how much

``autograd_gradients`` gives torch.autograd's answer for the same function,
an independent second oracle. The hidden tests use these functions, so a failing gradient test tells
which parameter's gradient is wrong and by how much.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch

# Agreement expected between an exact float64 gradient and a float64 central
# difference with eps = 1e-6: truncation error ~eps², rounding error ~1e-16/eps.
NUMERICAL_RTOL = 1e-5
NUMERICAL_ATOL = 1e-7


def numerical_gradient(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """d f(x) / dx by central differences, one entry of ``x`` at a time.

    Args:
        f: maps a tensor shaped like ``x`` to a scalar (a 0-dim tensor or a float).
            It must not keep or modify its argument.
        x: the point, any shape; it is copied to float64 on the CPU and left untouched.
        eps: the step; 1e-6 suits float64.

    Returns:
        a float64 CPU tensor shaped like ``x``.
    """
    point = x.detach().to("cpu", torch.float64).clone()
    grad = torch.zeros_like(point)
    flat, flat_grad = point.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        original = flat[i].item()
        flat[i] = original + eps
        up = float(f(point.to(x.device).clone()))
        flat[i] = original - eps
        down = float(f(point.to(x.device).clone()))
        flat[i] = original
        flat_grad[i] = (up - down) / (2 * eps)
    return grad


def autograd_gradients(
    f: Callable[..., torch.Tensor], tensors: Mapping[str, torch.Tensor], upstream: torch.Tensor | None = None
) -> dict[str, torch.Tensor]:
    """The independent oracle: torch.autograd's gradients of ``f(**tensors)`` in float64.

    Each tensor is copied to a float64 leaf (on its own device); ``f`` returns a
    tensor, which is backpropagated with ``upstream`` (ones when None). Returns
    ``{name: gradient}``, float64, a zero tensor where the output does not depend on it.
    """
    leaves = {name: t.detach().to(torch.float64).clone().requires_grad_() for name, t in tensors.items()}
    with torch.enable_grad():
        out = f(**leaves)
        seed = torch.ones_like(out) if upstream is None else upstream.detach().to(out.device, torch.float64)
        out.backward(seed)
    return {name: leaf.grad if leaf.grad is not None else torch.zeros_like(leaf) for name, leaf in leaves.items()}


@dataclass(frozen=True)
class GradientMismatch:
    """One gradient that disagrees with its oracle: where, and by how much."""

    name: str
    index: tuple[int, ...]
    got: float
    expected: float
    max_abs_error: float
    n_wrong: int
    numel: int
    shape_problem: str = ""

    def __str__(self) -> str:
        if self.shape_problem:
            return f"{self.name}: {self.shape_problem}"
        return (
            f"{self.name} is wrong: {self.got:.6g} instead of {self.expected:.6g} at index {self.index} "
            f"({self.n_wrong} of {self.numel} entries off, largest error {self.max_abs_error:.3g})"
        )


@dataclass(frozen=True)
class GradientReport:
    """The outcome of ``compare_gradients``: true when every gradient matches."""

    mismatches: tuple[GradientMismatch, ...]

    def __bool__(self) -> bool:
        return not self.mismatches

    @property
    def wrong(self) -> list[str]:
        """Names of the gradients that are wrong, in the order they were given."""
        return [m.name for m in self.mismatches]

    def __str__(self) -> str:
        return "all gradients match" if self else "; ".join(str(m) for m in self.mismatches)


def compare_gradients(
    got: Mapping[str, torch.Tensor | None],
    expected: Mapping[str, torch.Tensor],
    *,
    rtol: float = NUMERICAL_RTOL,
    atol: float = NUMERICAL_ATOL,
) -> GradientReport:
    """Compare named gradients (``{"dW1": ..., "db1": ...}``) with their oracle, in float64.

    Every name of ``expected`` is checked; a missing gradient, a ``None`` or a
    wrong shape counts as a mismatch. The default tolerance suits a float64
    gradient against ``numerical_gradient``; pass the policy's tolerance
    (``autograder.trusted.harness.tolerances.tolerance``) to compare against autograd.
    """
    mismatches = []
    for name, want in expected.items():
        have = got.get(name)
        want64 = want.detach().to("cpu", torch.float64)
        if not isinstance(have, torch.Tensor):
            mismatches.append(GradientMismatch(name, (), 0, 0, 0, 0, want64.numel(), f"missing (got {have!r})"))
            continue
        if tuple(have.shape) != tuple(want64.shape):
            problem = f"shape {tuple(have.shape)} instead of {tuple(want64.shape)}"
            mismatches.append(GradientMismatch(name, (), 0, 0, 0, 0, want64.numel(), problem))
            continue
        have64 = have.detach().to("cpu", torch.float64)
        close = torch.isclose(have64, want64, rtol=rtol, atol=atol)
        if bool(close.all()):
            continue
        error = (have64 - want64).abs().nan_to_num(nan=float("inf"))
        worst = tuple(int(i) for i in torch.unravel_index(error.argmax(), error.shape)) if error.dim() else ()
        mismatches.append(
            GradientMismatch(
                name,
                worst,
                have64[worst].item(),
                want64[worst].item(),
                error[worst].item(),
                int((~close).sum()),
                want64.numel(),
            )
        )
    return GradientReport(tuple(mismatches))
