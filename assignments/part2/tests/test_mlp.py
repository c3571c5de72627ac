"""Public tests for the MLP: structure, forward, backpropagation and live parameters (slides, sections 4 and 5)."""

import torch

from assignments.part2.tests.mlp_oracles import mlp_formula
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.gradcheck import autograd_gradients
from autograder.trusted.harness.tolerances import Depth


def mlp_on(impl, device, gen, sizes, activation):
    """A learner MLP whose parameters, drawn here from gen, live on ``device``; returns (model, params)."""
    model = impl.MLP(sizes, activation=activation, generator=gen)
    params = []
    for d_in, d_out in zip(sizes[:-1], sizes[1:], strict=True):
        params += [randn(d_in, d_out, gen=gen, device=device), randn(d_out, gen=gen, device=device, scale=0.5)]
    impl.probe("MLP", "assign_parameters", model, params)
    return model, params


@graded("MLP", points=2)
def test_mlp_layers_alternate_with_no_activation_after_the_last(impl, gen):
    """MLP([3, 4, 5, 2]) has 5 layers: Linear, act, Linear, act, Linear"""
    model = impl.MLP([3, 4, 5, 2], activation="relu", generator=gen)
    layers = model.layers
    expect(
        len(layers) == 5,
        case="len(MLP([3, 4, 5, 2]).layers)",
        expected="5 (3 Linear layers and 2 activations between them)",
        got=str(len(layers)),
        cause="one Linear per consecutive pair of sizes, an activation after each Linear except the last",
    )
    shapes = [tuple(layers[i].W.shape) for i in (0, 2, 4)]
    expect(
        shapes == [(3, 4), (4, 5), (5, 2)],
        case="W shapes of layers 0, 2 and 4",
        expected="[(3, 4), (4, 5), (5, 2)]",
        got=str(shapes),
        cause="Linear(sizes[i], sizes[i + 1]) at every even position of layers",
    )


@graded("MLP", points=3)
def test_mlp_forward_gives_logits(impl, device, gen):
    """forward equals Linear -> tanh -> Linear, with no activation on the logits"""
    model, params = mlp_on(impl, device, gen, [3, 6, 2], "tanh")
    x = randn(5, 3, gen=gen, device=device)
    expect_close(
        model.forward(x),
        mlp_formula(x.double(), [p.double() for p in params], "tanh").float(),
        case="MLP([3, 6, 2], 'tanh').forward on a batch of 5",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="tanh(x @ W1 + b1) @ W2 + b2: the last Linear's output are the logits, no activation after it",
    )


@graded("MLP", points=4)
def test_mlp_backward_matches_autograd(impl, device, gen):
    """grad_x and every dW, db equal autograd's for a 2-hidden-layer ReLU network"""
    model, params = mlp_on(impl, device, gen, [4, 5, 3, 2], "relu")
    x, grad_logits = randn(6, 4, gen=gen, device=device), randn(6, 2, gen=gen, device=device)
    model.forward(x)
    grad_x = model.backward(grad_logits)
    names = ["W1", "b1", "W2", "b2", "W3", "b3"]
    want = autograd_gradients(
        lambda x, **p: mlp_formula(x, [p[n] for n in names], "relu"),
        {"x": x, **dict(zip(names, params, strict=True))},
        upstream=grad_logits,
    )
    got = model.gradients()
    expect(
        isinstance(got, list) and len(got) == 6,
        case="MLP([4, 5, 3, 2]).gradients()",
        expected="a list of 6 tensors [dW1, db1, dW2, db2, dW3, db3]",
        got=f"{type(got).__name__} of length {len(got) if hasattr(got, '__len__') else '?'}",
    )
    expect_close(
        grad_x,
        want["x"].float(),
        case="the gradient backward returns for x",
        depth=Depth.CHAIN,
        inputs={"x": x, "grad_logits": grad_logits},
        cause="run the layers' backward in reverse order, feeding each one's result to the previous layer",
    )
    for name, g in zip(names, got, strict=True):
        expect_close(
            g,
            want[name].float(),
            case=f"d{name} after MLP.backward",
            depth=Depth.CHAIN,
            inputs={"x": x, "grad_logits": grad_logits},
            cause=f"d{name} is wrong: check that layer's backward and the gradient it received from the layer above",
        )


@graded("MLP", points=2)
def test_mlp_parameters_are_the_live_tensors(impl, gen):
    """zeroing parameters() in place zeroes the logits"""
    model = impl.MLP([3, 4, 2], activation="relu", generator=gen)
    params = model.parameters()
    expect(
        len(params) == 4,
        case="MLP([3, 4, 2]).parameters()",
        expected="[W1, b1, W2, b2]",
        got=f"{len(params)} tensors",
    )
    impl.probe("MLP", "scale_parameters_in_place", model, 0.0)
    x = randn(3, 3, gen=gen)
    expect_close(
        model.forward(x),
        torch.zeros(3, 2),
        case="forward after multiplying every tensor of parameters() by 0 in place",
        depth=Depth.EXACT,
        inputs={"x": x},
        cause="parameters() must return the layers' own W and b tensors (no .clone(), no new tensors)",
    )
