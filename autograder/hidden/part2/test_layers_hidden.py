"""Hidden tests for Linear, ReLU, Tanh and Sigmoid: reference, autograd, finite differences, init, no accumulation."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES
from autograder.hidden.part2.mlp_oracle import placed_linear, to64
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.gradcheck import autograd_gradients, compare_gradients, numerical_gradient
from autograder.trusted.harness.tolerances import Depth, tolerance

LINEAR_SHAPES = [(8, 6, 3), (1, 4, 4), (13, 2, 7)]  # (B, d_in, d_out)
LINEAR_CAUSES = {
    "out": "forward returns x @ W + b",
    "grad_x": "backward returns grad_out @ W.T, shape (B, d_in)",
    "dW": "dW = x.T @ grad_out, shape (d_in, d_out), from the x of the latest forward",
    "db": "db = grad_out.sum(dim=0): summed over the batch as grad_out implies, not averaged",
}


def _linear_run(layer, x, grad_out):
    out = layer.forward(x)
    grad_x = layer.backward(grad_out)
    return {"out": out, "grad_x": grad_x, "dW": layer.dW, "db": layer.db}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("B, d_in, d_out", LINEAR_SHAPES)
@graded("Linear", points=1)
def test_linear_against_reference(impl, ref, device, gen, dtype, B, d_in, d_out):
    """random shapes in float64, float32 and bfloat16: forward, grad_x, dW, db equal the reference's"""
    W, b = randn(d_in, d_out, gen=gen, device=device, dtype=dtype), randn(d_out, gen=gen, device=device, dtype=dtype)
    x, g = randn(B, d_in, gen=gen, device=device, dtype=dtype), randn(B, d_out, gen=gen, device=device, dtype=dtype)
    got = _linear_run(placed_linear(impl, W, b, gen=gen), x, g)
    W64, b64, x64, g64 = to64([W, b, x, g])
    want = _linear_run(placed_linear(ref, W64, b64), x64, g64)
    for name in ("out", "grad_x", "dW", "db"):
        expect_close(
            got[name],
            want[name].to(device, dtype),
            case=f"Linear({d_in}, {d_out}) on a {dtype} batch of {B}: {name}",
            depth=Depth.REDUCTION,
            inputs={"x": x, "W": W, "b": b, "grad_out": g},
            cause=LINEAR_CAUSES[name],
        )


@graded("Linear", points=3)
def test_linear_matches_autograd_and_finite_differences(impl, device, gen):
    """float64 gradients agree with torch.autograd and with central differences"""
    W, b = (
        randn(5, 3, gen=gen, device=device, dtype=torch.float64),
        randn(3, gen=gen, device=device, dtype=torch.float64),
    )
    x, g = (
        randn(4, 5, gen=gen, device=device, dtype=torch.float64),
        randn(4, 3, gen=gen, device=device, dtype=torch.float64),
    )
    got = _linear_run(placed_linear(impl, W, b, gen=gen), x, g)
    auto = autograd_gradients(lambda x, W, b: x @ W + b, {"x": x, "W": W, "b": b}, upstream=g)
    rtol, atol = tolerance(torch.float64, Depth.REDUCTION, device)
    report = compare_gradients(
        {"grad_x": got["grad_x"], "dW": got["dW"], "db": got["db"]},
        {"grad_x": auto["x"], "dW": auto["W"], "db": auto["b"]},
        rtol=rtol,
        atol=atol,
    )
    expect(
        bool(report),
        case="Linear(5, 3) backward in float64 against torch.autograd",
        expected="grad_x, dW and db equal autograd's",
        got=str(report),
        cause="; ".join(LINEAR_CAUSES[name] for name in report.wrong),
    )
    loss = lambda W_, b_=b: float(((x @ W_ + b_) * g).sum())  # noqa: E731 - the loss as a function of W
    numeric = {
        "dW": numerical_gradient(loss, W),
        "db": numerical_gradient(lambda b_: float(((x @ W + b_) * g).sum()), b),
    }
    report = compare_gradients({"dW": got["dW"], "db": got["db"]}, numeric)
    expect(
        bool(report),
        case="Linear(5, 3) backward in float64 against central differences (eps = 1e-6)",
        expected="dW and db equal the numerical gradient",
        got=str(report),
        cause="; ".join(LINEAR_CAUSES[name] for name in report.wrong),
    )


@graded("Linear", points=2)
def test_linear_backward_twice_gives_the_same_gradients(impl, device, gen):
    """backward called twice after one forward overwrites dW and db, never accumulates"""
    W, b = randn(4, 3, gen=gen, device=device), randn(3, gen=gen, device=device)
    x, g = randn(5, 4, gen=gen, device=device), randn(5, 3, gen=gen, device=device)
    layer = placed_linear(impl, W, b, gen=gen)
    layer.forward(x)
    layer.backward(g)
    first = (layer.dW.clone(), layer.db.clone())
    layer.backward(g)
    for name, value, before in (("dW", layer.dW, first[0]), ("db", layer.db, first[1])):
        expect_close(
            value,
            before,
            case=f"{name} after a second backward with the same grad_out",
            depth=Depth.EXACT,
            inputs={"x": x, "grad_out": g},
            cause="assign the gradient (self.dW = ...), do not add to the previous one (+=)",
        )


@graded("Linear", points=1)
def test_linear_backward_uses_the_latest_forward(impl, device, gen):
    """after forward(x1) then forward(x2), dW is x2ᵀ·grad_out"""
    W, b = randn(3, 2, gen=gen, device=device), randn(2, gen=gen, device=device)
    x1, x2, g = (
        randn(4, 3, gen=gen, device=device),
        randn(4, 3, gen=gen, device=device),
        randn(4, 2, gen=gen, device=device),
    )
    layer = placed_linear(impl, W, b, gen=gen)
    layer.forward(x1)
    layer.forward(x2)
    layer.backward(g)
    expect_close(
        layer.dW,
        (x2.double().T @ g.double()).float(),
        case="dW after two forwards and one backward",
        depth=Depth.REDUCTION,
        inputs={"x1": x1, "x2": x2, "grad_out": g},
        cause="cache the input of every forward call (overwrite the previous one)",
    )


@graded("Linear", points=2)
def test_linear_initialisation_is_random_and_seeded(impl):
    """W is random, its columns (the hidden units) differ, and the generator fixes it"""
    layers = [impl.Linear(20, 8, generator=torch.Generator().manual_seed(seed)) for seed in (0, 0, 1)]
    W = layers[0].W.detach().cpu().double()
    distinct = torch.cdist(W.T, W.T) + torch.eye(8, dtype=torch.float64)
    expect(
        bool(torch.isfinite(W).all()) and bool((distinct > 0).all()) and float(W.std()) > 0,
        case="Linear(20, 8).W",
        expected="finite random weights whose 8 columns all differ",
        got=f"std {float(W.std()):.3g}, smallest distance between two columns {float(distinct.min()):.3g}",
        cause="zero or constant weights make every hidden unit compute and learn the same thing: draw them at random",
    )
    same = torch.equal(layers[0].W.cpu(), layers[1].W.cpu())
    different = not torch.equal(layers[0].W.cpu(), layers[2].W.cpu())
    expect(
        same and different,
        case="Linear(20, 8) built with generators seeded 0, 0 and 1",
        expected="seed 0 twice gives the same W, seed 1 another W",
        got=f"same seed equal: {same}; other seed differs: {different}",
        cause="draw W with the generator argument (torch.rand(..., generator=generator)), not the global RNG",
    )
    b = layers[0].b
    expect(
        tuple(b.shape) == (8,) and bool(torch.isfinite(b).all()) and float(b.abs().max()) < 1.0,
        case="Linear(20, 8).b",
        expected="shape (8,), zeros or small values",
        got=f"shape {tuple(b.shape)}, largest |b| {float(b.abs().max()):.3g}",
        cause="start b at zero",
    )


ACT_LAYERS = {"ReLU": torch.relu, "Tanh": torch.tanh, "Sigmoid": torch.sigmoid}


def _activation_layer_tests(api, points):
    forward = ACT_LAYERS[api]
    fn_name = api.lower()

    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    @graded(api, points=points)
    def test_against_autograd(impl, device, gen, dtype):
        x = randn(3, 5, 4, gen=gen, device=device, dtype=dtype, scale=3)
        g = randn(3, 5, 4, gen=gen, device=device, dtype=dtype)
        layer = getattr(impl, api)()
        out = layer.forward(x)
        grad_x = layer.backward(g)
        want = autograd_gradients(lambda x: forward(x), {"x": x}, upstream=g)["x"]
        depth = Depth.ILL_CONDITIONED if dtype == torch.bfloat16 and api != "ReLU" else Depth.ELEMENTWISE
        expect_close(
            out,
            forward(x.double()).to(dtype),
            case=f"{api}().forward on a {dtype} (3, 5, 4) input",
            depth=depth,
            inputs={"x": x},
            cause=f"forward is {fn_name}(x), elementwise, any shape",
        )
        expect_close(
            grad_x,
            want.to(dtype),
            case=f"{api}().backward on a {dtype} (3, 5, 4) input",
            depth=depth,
            inputs={"x": x, "grad_out": g},
            cause=f"backward is {fn_name}_backward(cached x, grad_out)",
        )

    test_against_autograd.__doc__ = "3-D inputs in three dtypes: forward and backward agree with autograd"

    @graded(api, points=points)
    def test_latest_forward(impl, device, gen):
        x1, x2 = randn(4, 6, gen=gen, device=device, scale=2), randn(4, 6, gen=gen, device=device, scale=2)
        g = randn(4, 6, gen=gen, device=device)
        layer = getattr(impl, api)()
        layer.forward(x1)
        layer.forward(x2)
        first = layer.backward(g)
        second = layer.backward(g)
        want = autograd_gradients(lambda x: forward(x), {"x": x2}, upstream=g)["x"]
        for label, got in (("first", first), ("second", second)):
            expect_close(
                got,
                want.float(),
                case=f"{api}: {label} backward after forward(x1), forward(x2)",
                depth=Depth.ELEMENTWISE,
                inputs={"x1": x1, "x2": x2, "grad_out": g},
                cause="backward uses what the latest forward cached, and calling it twice changes nothing",
            )

    test_latest_forward.__doc__ = "backward uses the latest forward's input and can be called twice"
    return test_against_autograd, test_latest_forward


test_relu_layer_against_autograd, test_relu_layer_uses_latest_forward = _activation_layer_tests("ReLU", 1)
test_tanh_layer_against_autograd, test_tanh_layer_uses_latest_forward = _activation_layer_tests("Tanh", 1)
test_sigmoid_layer_against_autograd, test_sigmoid_layer_uses_latest_forward = _activation_layer_tests("Sigmoid", 1)
