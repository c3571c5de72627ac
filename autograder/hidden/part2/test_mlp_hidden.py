"""Hidden tests for the MLP: backprop against autograd, finite differences and the reference; live parameters."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES
from autograder.hidden.part2.mlp_oracle import (
    draw_params,
    mlp_autograd,
    mlp_formula,
    param_names,
    placed_mlp,
    to64,
)
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.gradcheck import compare_gradients, numerical_gradient
from autograder.trusted.harness.tolerances import Depth, tolerance

CONFIGS = [([5, 7, 3], "relu"), ([4, 6, 5, 2], "tanh"), ([3, 8, 4], "sigmoid"), ([6, 3, 3, 3, 4], "relu")]


def _ids(config):
    sizes, activation = config
    return f"{activation}-{'-'.join(map(str, sizes))}"


def _cause(name: str) -> str:
    if name == "x":
        return "backward must return the gradient for the input x: run every layer's backward in reverse order"
    return (
        f"d{name} is wrong: check that Linear's backward (dW = x.T @ grad_out, db = grad_out.sum(0)) and "
        "the activation backward between it and the logits"
    )


@pytest.mark.parametrize("config", CONFIGS, ids=_ids)
@graded("MLP", points=2)
def test_mlp_matches_autograd_in_float64(impl, device, gen, config):
    """random depths, widths and activations: logits and every gradient equal autograd's"""
    sizes, activation = config
    params = draw_params(sizes, gen, device, torch.float64)
    x = randn(9, sizes[0], gen=gen, device=device, dtype=torch.float64)
    g = randn(9, sizes[-1], gen=gen, device=device, dtype=torch.float64)
    model = placed_mlp(impl, sizes, activation, params, gen=gen)
    logits = model.forward(x)
    expect_close(
        logits,
        mlp_formula(x, params, activation),
        case=f"MLP({sizes}, {activation!r}).forward in float64",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause=f"Linear, {activation}, ..., Linear: an activation between Linear layers, none on the logits",
    )
    grad_x = model.backward(g)
    want = mlp_autograd(x, params, activation, g)
    names = param_names(len(params) // 2)
    got = dict(zip(["d" + n for n in names], model.gradients(), strict=False))
    got["grad_x"] = grad_x
    rtol, atol = tolerance(torch.float64, Depth.CHAIN, device)
    expected = {"grad_x": want["x"], **{"d" + n: want[n] for n in names}}
    report = compare_gradients(got, expected, rtol=rtol, atol=atol)
    expect(
        bool(report),
        case=f"MLP({sizes}, {activation!r}).backward in float64 against torch.autograd",
        expected="grad_x and every dW, db equal autograd's",
        got=str(report),
        cause=_cause(report.wrong[0].removeprefix("d").removeprefix("grad_")) if report.wrong else "",
    )


@graded("MLP", points=3)
def test_mlp_gradients_match_finite_differences(impl, device, gen):
    """central differences in float64 name the parameter whose gradient is wrong"""
    sizes, activation = [3, 4, 3, 2], "tanh"
    params = draw_params(sizes, gen, device, torch.float64)
    x = randn(5, 3, gen=gen, device=device, dtype=torch.float64)
    g = randn(5, 2, gen=gen, device=device, dtype=torch.float64)
    model = placed_mlp(impl, sizes, activation, params, gen=gen)
    model.forward(x)
    model.backward(g)
    names = param_names(3)
    got = dict(zip(["d" + n for n in names], model.gradients(), strict=False))

    def loss_with(index):
        def loss(value):
            trial = list(params)
            trial[index] = value
            return float((mlp_formula(x, trial, activation) * g).sum())

        return loss

    numeric = {"d" + name: numerical_gradient(loss_with(i), params[i]) for i, name in enumerate(names)}
    report = compare_gradients(got, numeric)
    expect(
        bool(report),
        case=f"MLP({sizes}, {activation!r}) gradients against central differences (eps = 1e-6)",
        expected="every dW, db within 1e-5 relative of the numerical gradient",
        got=str(report),
        cause=_cause(report.wrong[0].removeprefix("d")) if report.wrong else "",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("MLP", points=1)
def test_mlp_against_reference(impl, ref, device, gen, dtype):
    """float64, float32 and bfloat16: logits, grad_x and gradients equal the reference's"""
    sizes, activation = [6, 10, 4, 3], "relu"
    params = draw_params(sizes, gen, device, dtype)
    x, g = randn(7, 6, gen=gen, device=device, dtype=dtype), randn(7, 3, gen=gen, device=device, dtype=dtype)
    model = placed_mlp(impl, sizes, activation, params, gen=gen)
    got = [model.forward(x), model.backward(g), *model.gradients()]
    reference = placed_mlp(ref, sizes, activation, to64(params))
    x64, g64 = to64([x, g])
    want = [reference.forward(x64), reference.backward(g64), *reference.gradients()]
    labels = ["logits", "grad_x", *("d" + n for n in param_names(3))]
    expect(
        len(got) == len(want),
        case=f"MLP({sizes}).gradients()",
        expected=f"{len(want) - 2} gradients",
        got=f"{len(got) - 2}",
        cause="one dW and one db per Linear layer",
    )
    for label, value, expected in zip(labels, got, want, strict=True):
        expect_close(
            value,
            expected.to(device, dtype),
            case=f"MLP({sizes}, 'relu') on {dtype}: {label}",
            depth=Depth.CHAIN,
            inputs={"x": x, "grad_logits": g},
            cause=_cause(label.removeprefix("d").removeprefix("grad_")) if label != "logits" else "forward",
        )


@graded("MLP", points=2)
def test_mlp_backward_twice_gives_the_same_gradients(impl, device, gen):
    """a second backward after one forward leaves every gradient unchanged"""
    sizes = [4, 5, 3]
    model = placed_mlp(impl, sizes, "tanh", draw_params(sizes, gen, device), gen=gen)
    x, g = randn(6, 4, gen=gen, device=device), randn(6, 3, gen=gen, device=device)
    model.forward(x)
    first_x = model.backward(g)
    first = [t.clone() for t in model.gradients()]
    second_x = model.backward(g)
    labels = ["grad_x", "dW1", "db1", "dW2", "db2"]
    for label, a, b in zip(labels, [first_x, *first], [second_x, *model.gradients()], strict=False):
        expect_close(
            b,
            a,
            case=f"{label} after a second MLP.backward with the same grad_logits",
            depth=Depth.EXACT,
            inputs={"x": x, "grad_logits": g},
            cause="gradients are assigned on every backward, never accumulated (=, not +=)",
        )


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
@graded("MLP", points=1)
def test_mlp_has_no_activation_after_the_last_layer(impl, gen, activation):
    """with its own initialisation the logits leave the activation's range"""
    model = impl.MLP([4, 16, 3], activation=activation, generator=gen)
    expect(
        len(model.layers) == 3,
        case=f"len(MLP([4, 16, 3], {activation!r}).layers)",
        expected="3: Linear, activation, Linear",
        got=str(len(model.layers)),
        cause="no activation layer after the last Linear: it produces the logits",
    )
    x = randn(64, 4, gen=gen, scale=3)
    params = model.parameters()
    logits = model.forward(x)
    expect_close(
        logits,
        mlp_formula(x.double(), to64(params), activation).float(),
        case=f"MLP([4, 16, 3], {activation!r}).forward with its own parameters",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause="the logits are the last Linear's output, with no activation applied to them",
    )


@graded("MLP", points=2)
def test_mlp_parameters_train_the_model_in_place(impl, device, gen):
    """an in-place SGD step on parameters() changes the model's output as autograd predicts"""
    sizes = [3, 5, 2]
    params = draw_params(sizes, gen, device)
    model = placed_mlp(impl, sizes, "relu", params, gen=gen)
    x, g = randn(4, 3, gen=gen, device=device), randn(4, 2, gen=gen, device=device)
    after = impl.probe("MLP", "sgd_step_through_parameters", model, x, g, 0.1)
    grads = mlp_autograd(x, params, "relu", g)
    stepped = [p.double() - 0.1 * grads[n] for p, n in zip(params, param_names(2), strict=True)]
    expect_close(
        after,
        mlp_formula(x.double(), stepped, "relu").float(),
        case="forward after p -= 0.1 * g for p, g in zip(parameters(), gradients())",
        depth=Depth.CHAIN,
        inputs={"x": x, "grad_logits": g},
        cause="parameters() must hand out the layers' own tensors, in the order of gradients()",
    )


@graded("MLP", points=1)
def test_mlp_parameters_and_gradients_follow_the_layers(impl, device, gen):
    """parameters() is [W1, b1, W2, b2, ...] and gradients() [dW1, db1, ...] in the same order"""
    sizes = [3, 4, 5, 2]
    model = placed_mlp(impl, sizes, "relu", draw_params(sizes, gen, device), gen=gen)
    model.forward(randn(6, 3, gen=gen, device=device))
    model.backward(randn(6, 2, gen=gen, device=device))
    layers = model.layers
    params, grads = model.parameters(), model.gradients()
    labels = param_names(3)
    for i, label in enumerate(labels):
        layer = layers[2 * (i // 2)]
        attribute = "W" if label.startswith("W") else "b"
        for kind, listed, actual in (
            ("parameters()", params, getattr(layer, attribute)),
            ("gradients()", grads, getattr(layer, "d" + attribute)),
        ):
            expect_close(
                listed[i] if i < len(listed) else None,
                actual,
                case=f"entry {i} of {kind} against layers[{2 * (i // 2)}].{'d' if kind[0] == 'g' else ''}{attribute}",
                depth=Depth.EXACT,
                cause=f"{kind} lists W then b of each Linear, from the first layer to the last",
            )


@graded("MLP", points=1)
def test_mlp_initialisation_breaks_symmetry(impl):
    """hidden units start different, and the generator fixes every weight"""
    models = [impl.MLP([5, 6, 2], activation="tanh", generator=torch.Generator().manual_seed(s)) for s in (3, 3)]
    W1 = models[0].parameters()[0].detach().cpu().double()
    gaps = torch.cdist(W1.T, W1.T) + torch.eye(6, dtype=torch.float64)
    expect(
        bool((gaps > 0).all()),
        case="the first layer of MLP([5, 6, 2])",
        expected="6 hidden units with different incoming weights",
        got=f"smallest distance between two units {float(gaps.min()):.3g}",
        cause="give every Linear random weights drawn from the generator",
    )
    same = all(
        torch.equal(a.cpu(), b.cpu()) for a, b in zip(models[0].parameters(), models[1].parameters(), strict=False)
    )
    expect(
        same,
        case="two MLP([5, 6, 2]) built with generators seeded 3",
        expected="identical parameters",
        got="different parameters",
        cause="pass the generator to every Linear and use no other source of randomness",
    )
