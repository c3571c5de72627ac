"""Public tests for sigmoid, softmax and log_softmax (slides, section 2: log-linear classification)."""

import math

import torch

from autograder.shared.inputs import randn, tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth


@graded("sigmoid", points=2)
def test_sigmoid_known_values(impl, device):
    """sigmoid(0) = 0.5 and sigmoid(+-2) = 1 / (1 + e^-+2)"""
    z = tensor([0.0, 2.0, -2.0], device=device)
    expected = tensor([0.5, 1 / (1 + math.exp(-2)), 1 / (1 + math.exp(2))], device=device)
    expect_close(
        impl.sigmoid(z),
        expected,
        case="sigmoid([0, 2, -2])",
        depth=Depth.ELEMENTWISE,
        inputs={"z": z},
        cause="sigmoid(z) = 1 / (1 + e^-z), elementwise",
    )


@graded("sigmoid", points=2)
def test_sigmoid_extreme_inputs_stay_finite(impl, device):
    """z = +-1e4 gives exactly 1 and 0, never nan"""
    z = tensor([1e4, -1e4, 50.0, -50.0], device=device)
    expected = torch.sigmoid(z.double()).float()
    expect_close(
        impl.sigmoid(z),
        expected,
        case="sigmoid of very large and very negative scores",
        depth=Depth.ELEMENTWISE,
        inputs={"z": z},
        cause="e^-z overflows to inf for z = -1e4; use e^-|z| and the form that fits the sign of z",
    )


@graded("softmax", points=3)
def test_softmax_slide_example(impl, device):
    """softmax([0.4, 0.1, 0.9, 0.5]) = [0.22, 0.16, 0.37, 0.25] as on the slides"""
    z = tensor([0.4, 0.1, 0.9, 0.5], device=device)
    p = impl.softmax(z)
    expect_close(
        p,
        torch.softmax(z.double(), dim=-1).float(),
        case="softmax of the slides' scores",
        depth=Depth.REDUCTION,
        inputs={"z": z},
        cause="e^z_i divided by the sum of e^z_j over the last dimension",
    )
    rounded = [round(v, 2) for v in p.tolist()]
    expect(
        rounded == [0.22, 0.16, 0.37, 0.25],
        case="softmax of the slides' scores, rounded",
        expected="[0.22, 0.16, 0.37, 0.25]",
        got=str(rounded),
    )


@graded("softmax", points=2)
def test_softmax_rows_sum_to_one_along_dim(impl, device, gen):
    """every slice along dim sums to 1, for dim=-1 and dim=0"""
    z = randn(3, 5, gen=gen, device=device, scale=3)
    for dim in (-1, 0):
        expect_close(
            impl.softmax(z, dim=dim),
            torch.softmax(z.double(), dim=dim).float(),
            case=f"softmax(z, dim={dim})",
            depth=Depth.REDUCTION,
            inputs={"z": z},
            cause="normalise along the dim argument, with keepdim=True",
        )


@graded("softmax", points=2)
def test_softmax_large_logits_stay_finite(impl, device):
    """scores of 1000 do not overflow"""
    z = tensor([[1000.0, 999.0, 0.0]], device=device)
    expect_close(
        impl.softmax(z),
        torch.softmax(z.double(), dim=-1).float(),
        case="softmax of [1000, 999, 0]",
        depth=Depth.ILL_CONDITIONED,
        inputs={"z": z},
        cause="e^1000 overflows: subtract the maximum along dim first (softmax does not change)",
    )


@graded("softmax", points=1)
def test_softmax_minus_infinity_gets_zero(impl, device):
    """an entry of -inf gets probability exactly 0"""
    z = tensor([[0.0, float("-inf"), 1.0]], device=device)
    expect_close(
        impl.softmax(z),
        torch.softmax(z.double(), dim=-1).float(),
        case="softmax of [0, -inf, 1]",
        depth=Depth.REDUCTION,
        inputs={"z": z},
        cause="e^-inf is 0; do not replace -inf or add eps",
    )


@graded("log_softmax", points=2)
def test_log_softmax_is_log_of_softmax(impl, device, gen):
    """log_softmax equals log(softmax) on moderate scores"""
    z = randn(4, 6, gen=gen, device=device)
    expect_close(
        impl.log_softmax(z),
        torch.log_softmax(z.double(), dim=-1).float(),
        case="log_softmax of a 4x6 batch",
        depth=Depth.REDUCTION,
        inputs={"z": z},
        cause="z_i - log(sum_j e^z_j) along dim",
    )


@graded("log_softmax", points=2)
def test_log_softmax_very_unlikely_class_is_finite(impl, device):
    """a class 200 below the best gets log-probability -200, not -inf"""
    z = tensor([[200.0, 0.0]], device=device)
    expect_close(
        impl.log_softmax(z),
        torch.log_softmax(z.double(), dim=-1).float(),
        case="log_softmax([200, 0])",
        depth=Depth.ILL_CONDITIONED,
        inputs={"z": z},
        cause="log(softmax) underflows to log(0) = -inf; compute z - max - log(sum e^(z - max)) instead",
    )
