"""Hidden tests for linear, predict_sign and predict_class: random shapes, dtypes, devices, edge cases."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES, check_against_reference
from autograder.shared.inputs import non_contiguous, randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_equal
from autograder.trusted.harness.tolerances import Depth


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("linear", points=3)
def test_linear_random_batches_match_reference(impl, ref, device, gen, dtype):
    """random non-square weights, in float64, float32 and bfloat16"""
    args = {
        "x": randn(7, 5, gen=gen, device=device, dtype=dtype),
        "W": randn(5, 3, gen=gen, device=device, dtype=dtype),
        "b": randn(3, gen=gen, device=device, dtype=dtype),
    }
    check_against_reference(
        impl,
        ref,
        "linear",
        args,
        case=f"linear on a (7, 5) {dtype} batch",
        depth=Depth.REDUCTION,
        cause="x @ W + b with W of shape (d_in, d_out)",
    )


@graded("linear", points=2)
def test_linear_square_weights_are_not_transposed(impl, ref, device, gen):
    """square W: x·W, not x·Wᵀ"""
    args = {
        "x": randn(4, 4, gen=gen, device=device),
        "W": randn(4, 4, gen=gen, device=device),
        "b": randn(4, gen=gen, device=device),
    }
    check_against_reference(
        impl,
        ref,
        "linear",
        args,
        case="linear with a square (4, 4) W",
        depth=Depth.REDUCTION,
        cause="use W as given: row i of W holds the weights of input feature i",
    )


@graded("linear", points=2)
def test_linear_extra_leading_dimensions(impl, ref, device, gen):
    """x of shape (2, 3, 5) scores every row: (2, 3, d_out)"""
    args = {
        "x": randn(2, 3, 5, gen=gen, device=device),
        "W": randn(5, 4, gen=gen, device=device),
        "b": randn(4, gen=gen, device=device),
    }
    check_against_reference(
        impl,
        ref,
        "linear",
        args,
        case="linear on x with two batch dimensions",
        depth=Depth.REDUCTION,
        cause="x has shape (..., d_in): let @ broadcast over the leading dimensions instead of assuming 2-D",
    )


@graded("linear", points=1)
def test_linear_non_contiguous_inputs(impl, ref, device, gen):
    """strided views of x and W give the same scores"""
    args = {
        "x": non_contiguous(randn(6, 3, gen=gen, device=device)),
        "W": non_contiguous(randn(3, 2, gen=gen, device=device)),
        "b": randn(2, gen=gen, device=device),
    }
    check_against_reference(
        impl,
        ref,
        "linear",
        args,
        case="linear on non-contiguous x and W",
        depth=Depth.REDUCTION,
        cause="avoid .view() on inputs (use reshape) and do not assume contiguous memory",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("predict_sign", points=2)
def test_predict_sign_random_and_exact_zeros(impl, ref, device, gen, dtype):
    """exact zeros among random scores give +1, in the scores' dtype"""
    scores = randn(3, 8, gen=gen, device=device, dtype=dtype)
    scores[:, ::3] = 0.0
    scores[0, 1] = -0.0  # negative zero is still >= 0
    check_against_reference(
        impl,
        ref,
        "predict_sign",
        {"scores": scores},
        case=f"predict_sign on {dtype} scores with exact zeros",
        depth=Depth.EXACT,
        cause="a score of exactly 0 (also -0.0) counts as +1; keep the scores' dtype",
    )


@graded("predict_sign", points=1)
def test_predict_sign_tiny_scores(impl, ref, device):
    """scores of +-1e-30 are decided by their sign"""
    scores = torch.tensor([1e-30, -1e-30, 1e4, -1e4], device=device)
    check_against_reference(
        impl,
        ref,
        "predict_sign",
        {"scores": scores},
        case="predict_sign of tiny and huge scores",
        depth=Depth.EXACT,
        cause="compare with 0 directly; no thresholds or rounding",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("predict_class", points=2)
def test_predict_class_random_scores(impl, ref, device, gen, dtype):
    """random distinct (6, 5) scores: argmax of each row, int64"""
    # distinct small integers: exact in every dtype, so no ties decide the answer
    scores = (torch.randperm(30, generator=gen).reshape(6, 5) - 15).to(device=device, dtype=dtype) / 4
    check_against_reference(
        impl,
        ref,
        "predict_class",
        {"scores": scores},
        case=f"predict_class on {dtype} scores",
        depth=Depth.EXACT,
        cause="argmax over the last dimension (dim=-1), 0-based, int64",
    )


@graded("predict_class", points=1)
def test_predict_class_single_row_and_batch_dims(impl, device):
    """a (k,) vector gives a 0-dim index; (2, 3, k) gives (2, 3)"""
    single = torch.tensor([0.1, 0.7, -2.0], device=device)
    expect_equal(
        impl.predict_class(single),
        torch.tensor(1, device=device),
        case="predict_class of one score vector",
        cause="reduce the last dimension only, without keepdim",
    )
    batch = torch.arange(24.0, device=device).reshape(2, 3, 4).flip(-1)
    expect_equal(
        impl.predict_class(batch),
        torch.zeros(2, 3, dtype=torch.int64, device=device),
        case="predict_class on (2, 3, 4) scores",
        cause="reduce the last dimension only",
    )
