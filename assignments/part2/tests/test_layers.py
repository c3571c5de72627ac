"""Public tests for the Linear layer and the activation layers (slides, sections 4 and 5)."""

import torch

from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close, expect_tensor_like
from autograder.trusted.harness.gradcheck import autograd_gradients
from autograder.trusted.harness.tolerances import Depth


def linear_on(impl, device, gen, d_in, d_out):
    """A learner Linear whose W and b (drawn here from gen) live on ``device``; returns (layer, W, b)."""
    layer = impl.Linear(d_in, d_out, generator=gen)
    W, b = randn(d_in, d_out, gen=gen, device=device), randn(d_out, gen=gen, device=device)
    impl.probe("Linear", "assign_parameters", layer, [W, b])
    return layer, W, b


@graded("Linear", points=2)
def test_linear_parameters_have_the_contract_shapes(impl, gen):
    """Linear(3, 5) has W (3, 5) and b (5,), W random and not all zeros"""
    layer = impl.Linear(3, 5, generator=gen)
    expect_tensor_like(layer.W, torch.zeros(3, 5), case="Linear(3, 5).W", cause="W has shape (d_in, d_out)")
    expect_tensor_like(layer.b, torch.zeros(5), case="Linear(3, 5).b", cause="b has shape (d_out,)")
    expect(
        bool((layer.W != 0).any()) and bool(torch.isfinite(layer.W).all()),
        case="the initial weights of Linear(3, 5)",
        expected="finite random values, not all zero",
        got="all zeros" if not bool((layer.W != 0).any()) else "non-finite values",
        cause="draw W with torch.rand/torch.randn(..., generator=generator): zero weights make every unit identical",
    )


@graded("Linear", points=3)
def test_linear_forward_and_backward_match_autograd(impl, device, gen):
    """out = x·W + b; backward gives dW, db and grad_x equal to autograd's"""
    layer, W, b = linear_on(impl, device, gen, 4, 3)
    x, grad_out = randn(5, 4, gen=gen, device=device), randn(5, 3, gen=gen, device=device)
    inputs = {"x": x, "W": W, "b": b, "grad_out": grad_out}
    expect_close(
        layer.forward(x),
        (x.double() @ W.double() + b.double()).float(),
        case="Linear(4, 3).forward on a batch of 5",
        depth=Depth.REDUCTION,
        inputs=inputs,
        cause="x @ W + b",
    )
    grad_x = layer.backward(grad_out)
    want = autograd_gradients(lambda x, W, b: x @ W + b, {"x": x, "W": W, "b": b}, upstream=grad_out)
    for name, got, cause in (
        ("grad_x (returned)", grad_x, "return grad_out @ W.T, shape (B, d_in)"),
        ("dW", layer.dW, "dW = x.T @ grad_out, shape (d_in, d_out)"),
        ("db", layer.db, "db = grad_out summed over the batch (dim 0), not averaged"),
    ):
        key = {"grad_x (returned)": "x", "dW": "W", "db": "b"}[name]
        expect_close(
            got,
            want[key].float(),
            case=f"Linear(4, 3).backward: {name}",
            depth=Depth.REDUCTION,
            inputs=inputs,
            cause=cause,
        )


@graded("ReLU", points=2)
def test_relu_layer_forward_and_backward(impl, device, gen):
    """forward is max(0, x); backward masks grad_out where the cached x > 0"""
    layer = impl.ReLU()
    x, grad_out = randn(4, 5, gen=gen, device=device), randn(4, 5, gen=gen, device=device)
    expect_close(
        layer.forward(x), x.clamp(min=0), case="ReLU().forward", depth=Depth.EXACT, inputs={"x": x}, cause="relu(x)"
    )
    expect_close(
        layer.backward(grad_out),
        grad_out * (x > 0),
        case="ReLU().backward after that forward",
        depth=Depth.EXACT,
        inputs={"x": x, "grad_out": grad_out},
        cause="cache x in forward, then return relu_backward(x, grad_out)",
    )


@graded("Tanh", points=2)
def test_tanh_layer_forward_and_backward(impl, device, gen):
    """forward is tanh(x); backward is grad_out * (1 - tanh(x)^2)"""
    layer = impl.Tanh()
    x, grad_out = randn(4, 5, gen=gen, device=device, scale=2), randn(4, 5, gen=gen, device=device)
    expect_close(
        layer.forward(x),
        torch.tanh(x.double()).float(),
        case="Tanh().forward",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause="tanh(x)",
    )
    want = autograd_gradients(lambda x: torch.tanh(x), {"x": x}, upstream=grad_out)["x"]
    expect_close(
        layer.backward(grad_out),
        want.float(),
        case="Tanh().backward after that forward",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "grad_out": grad_out},
        cause="cache x in forward, then return tanh_backward(x, grad_out)",
    )


@graded("Sigmoid", points=2)
def test_sigmoid_layer_forward_and_backward(impl, device, gen):
    """forward is sigmoid(x); backward is grad_out * s * (1 - s)"""
    layer = impl.Sigmoid()
    x, grad_out = randn(4, 5, gen=gen, device=device, scale=2), randn(4, 5, gen=gen, device=device)
    expect_close(
        layer.forward(x),
        torch.sigmoid(x.double()).float(),
        case="Sigmoid().forward",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause="1 / (1 + e^-x) (torch.sigmoid is allowed)",
    )
    want = autograd_gradients(lambda x: torch.sigmoid(x), {"x": x}, upstream=grad_out)["x"]
    expect_close(
        layer.backward(grad_out),
        want.float(),
        case="Sigmoid().backward after that forward",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "grad_out": grad_out},
        cause="cache x in forward, then return sigmoid_backward(x, grad_out)",
    )
