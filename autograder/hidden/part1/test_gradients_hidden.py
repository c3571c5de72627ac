"""Hidden tests for cross_entropy_grad and linear_backward: autograd in float64 as the oracle."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES, check_against_reference
from autograder.shared.inputs import labels, randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close
from autograder.trusted.harness.tolerances import Depth


def autograd_ce_grad(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    leaf = logits.detach().double().requires_grad_()
    with torch.enable_grad():
        torch.nn.functional.cross_entropy(leaf, y).backward()
    return leaf.grad.to(logits.dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("cross_entropy_grad", points=3)
def test_cross_entropy_grad_random_logits(impl, ref, device, gen, dtype):
    """random (9, 4) logits of scale 3, in three dtypes"""
    args = {
        "logits": randn(9, 4, gen=gen, device=device, dtype=dtype, scale=3),
        "y": labels(9, 4, gen=gen, device=device),
    }
    check_against_reference(
        impl,
        ref,
        "cross_entropy_grad",
        args,
        case=f"cross_entropy_grad on {dtype} logits",
        depth=Depth.CHAIN,
        cause="(softmax(logits) - one_hot(y)) / n",
    )


@pytest.mark.parametrize("n, k", [(1, 5), (13, 2), (4, 7)])
@graded("cross_entropy_grad", points=3)
def test_cross_entropy_grad_matches_autograd(impl, device, gen, n, k):
    """autograd agrees for batch sizes 1, 13 and 4 and 2 to 7 classes"""
    logits, y = randn(n, k, gen=gen, device=device, dtype=torch.float64, scale=2), labels(n, k, gen=gen, device=device)
    expect_close(
        impl.cross_entropy_grad(logits, y),
        autograd_ce_grad(logits, y),
        case=f"cross_entropy_grad, n={n}, k={k}",
        depth=Depth.CHAIN,
        inputs={"logits": logits, "y": y},
        cause="divide by the batch size n (the loss is a mean over samples), not by k",
    )


@graded("cross_entropy_grad", points=2)
def test_cross_entropy_grad_huge_logits(impl, device):
    """logits of +-1e4 give a finite gradient"""
    logits = torch.tensor([[1e4, 0.0, -1e4], [0.0, 0.0, 1e4]], device=device)
    y = torch.tensor([2, 0], device=device)
    expect_close(
        impl.cross_entropy_grad(logits, y),
        autograd_ce_grad(logits, y),
        case="cross_entropy_grad with logits of +-1e4",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "y": y},
        cause="use a stable softmax (subtract the max)",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("linear_backward", points=3)
def test_linear_backward_random_shapes(impl, ref, device, gen, dtype):
    """random non-square layer (6 inputs to 3 outputs) on a batch of 8"""
    args = {
        "x": randn(8, 6, gen=gen, device=device, dtype=dtype),
        "W": randn(6, 3, gen=gen, device=device, dtype=dtype),
        "grad_out": randn(8, 3, gen=gen, device=device, dtype=dtype),
    }
    check_against_reference(
        impl,
        ref,
        "linear_backward",
        args,
        case=f"linear_backward on {dtype} (8, 6) -> (8, 3)",
        depth=Depth.REDUCTION,
        cause="(grad_out @ W.T, x.T @ grad_out, grad_out.sum(0))",
    )


@graded("linear_backward", points=3)
def test_linear_backward_square_layer_matches_autograd(impl, device, gen):
    """a square (5, 5) layer, where a transpose mistake keeps the shapes right"""
    x = randn(4, 5, gen=gen, device=device, dtype=torch.float64)
    W = randn(5, 5, gen=gen, device=device, dtype=torch.float64)
    g = randn(4, 5, gen=gen, device=device, dtype=torch.float64)
    x_leaf, W_leaf = x.clone().requires_grad_(), W.clone().requires_grad_()
    b_leaf = torch.zeros(5, dtype=torch.float64, device=device, requires_grad=True)
    with torch.enable_grad():
        (x_leaf @ W_leaf + b_leaf).backward(g)
    got = impl.linear_backward(x, W, g)
    expected = (x_leaf.grad, W_leaf.grad, b_leaf.grad)
    for name, index in (("grad_x", 0), ("grad_W", 1), ("grad_b", 2)):
        value = got[index] if isinstance(got, tuple) and len(got) == 3 else got
        expect_close(
            value,
            expected[index],
            case=f"linear_backward on a square layer: {name}",
            depth=Depth.REDUCTION,
            inputs={"x": x, "W": W, "grad_out": g},
            cause="grad_x = grad_out @ W.T and grad_W = x.T @ grad_out",
        )


@graded("linear_backward", points=1)
def test_linear_backward_single_sample(impl, ref, device, gen):
    """a batch of one sample: grad_b equals grad_out[0]"""
    args = {
        "x": randn(1, 3, gen=gen, device=device),
        "W": randn(3, 2, gen=gen, device=device),
        "grad_out": randn(1, 2, gen=gen, device=device),
    }
    check_against_reference(
        impl,
        ref,
        "linear_backward",
        args,
        case="linear_backward with n = 1",
        depth=Depth.REDUCTION,
        cause="sum over the batch dimension, keeping grad_b's shape (d_out,)",
    )
