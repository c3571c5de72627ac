"""Public tests for cross_entropy_grad and linear_backward, checked against autograd (slides: gradients)."""

import torch

from autograder.shared.inputs import labels, randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close
from autograder.trusted.harness.tolerances import Depth


@graded("cross_entropy_grad", points=3)
def test_cross_entropy_grad_matches_autograd(impl, device, gen):
    """equals the gradient autograd finds for the mean cross-entropy"""
    logits, y = randn(6, 3, gen=gen, device=device, scale=2), labels(6, 3, gen=gen, device=device)
    leaf = logits.double().requires_grad_()
    with torch.enable_grad():
        torch.nn.functional.cross_entropy(leaf, y).backward()
    expect_close(
        impl.cross_entropy_grad(logits, y),
        leaf.grad.float(),
        case="cross_entropy_grad for 6 samples, 3 classes",
        depth=Depth.CHAIN,
        inputs={"logits": logits, "y": y},
        cause="(softmax(logits) - one_hot(y)) / n: the 1/n comes from the mean in the loss",
    )


@graded("linear_backward", points=3)
def test_linear_backward_matches_autograd(impl, device, gen):
    """grad_x, grad_W and grad_b equal autograd's for out = x·W + b"""
    x, W, grad_out = (
        randn(5, 4, gen=gen, device=device),
        randn(4, 3, gen=gen, device=device),
        randn(5, 3, gen=gen, device=device),
    )
    x64, W64, b64 = (
        x.double().requires_grad_(),
        W.double().requires_grad_(),
        torch.zeros(3, dtype=torch.float64, requires_grad=True),
    )
    with torch.enable_grad():
        (x64 @ W64 + b64.to(x64.device)).backward(grad_out.double())
    result = impl.linear_backward(x, W, grad_out)
    names = ("grad_x", "grad_W", "grad_b")
    expected = (x64.grad, W64.grad, b64.grad)
    causes = (
        "grad_out @ W.T, shape (n, d_in)",
        "x.T @ grad_out, shape (d_in, d_out)",
        "grad_out summed over the batch (dim 0), not averaged",
    )
    for index, (name, want, cause) in enumerate(zip(names, expected, causes, strict=True)):
        got = result[index] if isinstance(result, tuple) and len(result) == 3 else result
        expect_close(
            got,
            want.float().to(device),
            case=f"linear_backward: {name}",
            depth=Depth.REDUCTION,
            inputs={"x": x, "W": W, "grad_out": grad_out},
            cause=f"return the tuple (grad_x, grad_W, grad_b); {name} = {cause}",
        )
