"""Hidden tests for the activation functions: random shapes and dtypes against the reference, autograd, extremes."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES, check_against_reference
from autograder.shared.inputs import non_contiguous, randn, tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close
from autograder.trusted.harness.gradcheck import autograd_gradients
from autograder.trusted.harness.tolerances import Depth

SHAPES = [(7, 5), (3, 4, 2), (11,)]
CAUSES = {
    "relu": "x where x > 0, else 0, without writing into x",
    "relu_backward": "grad_out * (x > 0): the mask comes from the input x",
    "tanh": "(e^2x - 1) / (e^2x + 1), computed so that it never overflows",
    "tanh_backward": "grad_out * (1 - tanh(x)^2), with x the forward input",
    "sigmoid_backward": "grad_out * sigmoid(x) * (1 - sigmoid(x)), with x the forward input",
}
TORCH_FORWARD = {"relu_backward": torch.relu, "tanh_backward": torch.tanh, "sigmoid_backward": torch.sigmoid}


def _args(api, shape, gen, device, dtype, scale=3.0):
    args = {"x": randn(*shape, gen=gen, device=device, dtype=dtype, scale=scale)}
    if api.endswith("_backward"):
        args["grad_out"] = randn(*shape, gen=gen, device=device, dtype=dtype)
    return args


def _reference_test(api, points):
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    @pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
    @graded(api, points=points)
    def test(impl, ref, device, gen, dtype, shape):
        args = _args(api, shape, gen, device, dtype)
        depth = Depth.EXACT if api.startswith("relu") else Depth.ELEMENTWISE
        if api in ("tanh_backward", "sigmoid_backward") and dtype == torch.bfloat16:
            # 1 - tanh(x)^2 and s * (1 - s) cancel near saturation: with bfloat16's 8-bit
            # mantissa, merely rounding tanh(x) moves the answer by ~1e-2.
            depth = Depth.ILL_CONDITIONED
        check_against_reference(
            impl, ref, api, args, case=f"{api} on a random {dtype} {shape} input", depth=depth, cause=CAUSES[api]
        )

    test.__doc__ = "random shapes (2-D, 3-D, 1-D) in float64, float32 and bfloat16, against the reference"
    return test


test_relu_against_reference = _reference_test("relu", 1)
test_relu_backward_against_reference = _reference_test("relu_backward", 1)
test_tanh_against_reference = _reference_test("tanh", 1)
test_tanh_backward_against_reference = _reference_test("tanh_backward", 1)
test_sigmoid_backward_against_reference = _reference_test("sigmoid_backward", 1)


def _autograd_test(api, points):
    @graded(api, points=points)
    def test(impl, device, gen):
        args = _args(api, (6, 7), gen, device, torch.float64, scale=4.0)
        want = autograd_gradients(lambda x: TORCH_FORWARD[api](x), {"x": args["x"]}, upstream=args["grad_out"])["x"]
        expect_close(
            getattr(impl, api)(*args.values()),
            want,
            case=f"{api} in float64 against torch.autograd",
            depth=Depth.ELEMENTWISE,
            inputs=args,
            cause=CAUSES[api],
        )

    test.__doc__ = "float64 inputs of scale 4 agree with torch.autograd's derivative"
    return test


test_relu_backward_matches_autograd = _autograd_test("relu_backward", 2)
test_tanh_backward_matches_autograd = _autograd_test("tanh_backward", 2)
test_sigmoid_backward_matches_autograd = _autograd_test("sigmoid_backward", 2)


@graded("relu_backward", points=2)
def test_relu_backward_is_zero_at_zero(impl, device):
    """x = 0 exactly passes no gradient (relu'(0) = 0 by convention)"""
    x = tensor([0.0, 0.0, -0.0, 1e-30, -1e-30], device=device)
    grad_out = tensor([3.0, -2.0, 1.0, 4.0, 5.0], device=device)
    expect_close(
        impl.relu_backward(x, grad_out),
        tensor([0.0, 0.0, 0.0, 4.0, 0.0], device=device),
        case="relu_backward at and right next to x = 0",
        depth=Depth.EXACT,
        inputs={"x": x, "grad_out": grad_out},
        cause="use the strict comparison x > 0 (x >= 0 lets the gradient through at 0)",
    )


@graded("relu", points=1)
def test_relu_non_contiguous_input(impl, ref, device, gen):
    """a transposed (non-contiguous) view gives the same result"""
    args = {"x": non_contiguous(randn(5, 6, gen=gen, device=device))}
    check_against_reference(impl, ref, "relu", args, case="relu on a non-contiguous view", depth=Depth.EXACT)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@graded("tanh", points=2)
def test_tanh_extreme_inputs(impl, device, dtype):
    """+-30, +-400 and +-1e4 give +-1 and tiny inputs keep their precision"""
    x = tensor([-1e4, -400.0, -30.0, -1e-9, 0.0, 1e-9, 30.0, 400.0, 1e4], device=device, dtype=dtype)
    expect_close(
        impl.tanh(x),
        torch.tanh(x.double()).to(dtype),
        case=f"tanh of huge and tiny {dtype} inputs",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause="e^2x overflows for large x (inf / inf = nan): use e^(-2|x|), which stays in (0, 1], and the sign of x",
    )


@graded("tanh", points=1)
def test_tanh_is_odd_and_bounded(impl, device, gen):
    """tanh(-x) = -tanh(x) and |tanh(x)| <= 1 on 1000 random inputs"""
    x = randn(1000, gen=gen, device=device, dtype=torch.float64, scale=20)
    expect_close(
        impl.tanh(-x),
        -torch.tanh(x),
        case="tanh(-x) on 1000 inputs of scale 20",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x},
        cause=CAUSES["tanh"],
    )


@graded("tanh_backward", points=1)
def test_tanh_backward_saturates_to_zero(impl, device):
    """huge inputs give a zero (not nan) gradient"""
    x = tensor([-1e4, -500.0, 500.0, 1e4], device=device)
    grad_out = tensor([1.0, 2.0, 3.0, 4.0], device=device)
    expect_close(
        impl.tanh_backward(x, grad_out),
        torch.zeros(4, device=device),
        case="tanh_backward where tanh is flat",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "grad_out": grad_out},
        cause="1 - tanh(x)^2 is 0 there: a nan means your tanh overflowed",
    )


@graded("sigmoid_backward", points=1)
def test_sigmoid_backward_saturates_to_zero(impl, device):
    """huge inputs give a zero (not nan) gradient"""
    x = tensor([-1e4, -500.0, 500.0, 1e4], device=device)
    grad_out = tensor([1.0, 2.0, 3.0, 4.0], device=device)
    expect_close(
        impl.sigmoid_backward(x, grad_out),
        torch.zeros(4, device=device),
        case="sigmoid_backward where the sigmoid is flat",
        depth=Depth.ELEMENTWISE,
        inputs={"x": x, "grad_out": grad_out},
        cause="sigma(x) * (1 - sigma(x)) is 0 there: use a sigmoid that stays finite (torch.sigmoid)",
    )
