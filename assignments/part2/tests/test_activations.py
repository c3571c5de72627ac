"""Public tests for the activation functions and their backward passes (slides, section 5: non-linearities)."""

import torch

from autograder.shared.inputs import randn, tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close, expect_unchanged, snapshot
from autograder.trusted.harness.gradcheck import autograd_gradients
from autograder.trusted.harness.tolerances import Depth


@graded("relu", points=2)
def test_relu_worked_example(impl, device):
    """relu([-2, -0.5, 0, 0.5, 3]) = [0, 0, 0, 0.5, 3]"""
    x = tensor([-2.0, -0.5, 0.0, 0.5, 3.0], device=device)
    before = snapshot({"x": x})
    got = impl.relu(x)
    expect_unchanged(before, {"x": x}, case="relu must not modify its input")
    expect_close(
        got,
        tensor([0.0, 0.0, 0.0, 0.5, 3.0], device=device),
        case="relu on five values around 0",
        depth=Depth.EXACT,
        inputs={"x": x},
        cause="keep x where x > 0 and put 0 elsewhere (torch.where or torch.clamp(x, min=0))",
    )


@graded("relu_backward", points=2)
def test_relu_backward_worked_example(impl, device):
    """the gradient passes where x > 0 and is 0 elsewhere, x = 0 included"""
    x = tensor([-1.0, 0.0, 2.0, 0.5], device=device)
    grad_out = tensor([5.0, 6.0, 7.0, -8.0], device=device)
    expect_close(
        impl.relu_backward(x, grad_out),
        tensor([0.0, 0.0, 7.0, -8.0], device=device),
        case="relu_backward(x=[-1, 0, 2, 0.5], grad_out=[5, 6, 7, -8])",
        depth=Depth.EXACT,
        inputs={"x": x, "grad_out": grad_out},
        cause="multiply grad_out by the mask (x > 0): strictly positive inputs only, decided by x, not by grad_out",
    )


@graded("tanh", points=2)
def test_tanh_matches_the_formula(impl, device, gen):
    """equals (e^2x - 1) / (e^2x + 1) on random inputs"""
    x = randn(5, 4, gen=gen, device=device, scale=2)
    expect_close(
        impl.tanh(x),
        torch.tanh(x.double()).float(),
        case="tanh on a (5, 4) batch of scale 2",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause="tanh(x) = (e^2x - 1) / (e^2x + 1), elementwise",
    )


@graded("tanh", points=2)
def test_tanh_stays_finite_for_large_inputs(impl, device):
    """tanh(+-100) and tanh(+-1e4) are +-1, not nan"""
    x = tensor([-1e4, -100.0, 100.0, 1e4, 0.0], device=device)
    expect_close(
        impl.tanh(x),
        tensor([-1.0, -1.0, 1.0, 1.0, 0.0], device=device),
        case="tanh of large inputs",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause="e^2x overflows to inf and inf/inf = nan: compute with e^(-2|x|) and restore the sign",
    )


@graded("tanh_backward", points=3)
def test_tanh_backward_matches_autograd(impl, device, gen):
    """grad_out * (1 - tanh(x)^2), as autograd finds it"""
    x, grad_out = randn(6, 3, gen=gen, device=device, scale=2), randn(6, 3, gen=gen, device=device)
    want = autograd_gradients(lambda x: torch.tanh(x), {"x": x}, upstream=grad_out)["x"]
    expect_close(
        impl.tanh_backward(x, grad_out),
        want.float(),
        case="tanh_backward on a (6, 3) batch",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "grad_out": grad_out},
        cause="x is the forward INPUT: use 1 - tanh(x)^2, not 1 - x^2, and multiply by grad_out",
    )


@graded("sigmoid_backward", points=3)
def test_sigmoid_backward_matches_autograd(impl, device, gen):
    """grad_out * sigmoid(x) * (1 - sigmoid(x)), as autograd finds it"""
    x, grad_out = randn(6, 3, gen=gen, device=device, scale=2), randn(6, 3, gen=gen, device=device)
    want = autograd_gradients(lambda x: torch.sigmoid(x), {"x": x}, upstream=grad_out)["x"]
    expect_close(
        impl.sigmoid_backward(x, grad_out),
        want.float(),
        case="sigmoid_backward on a (6, 3) batch",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "grad_out": grad_out},
        cause="sigma'(x) = sigma(x) * (1 - sigma(x)) at the forward INPUT x, times grad_out",
    )
