"""Public tests for linear, predict_sign and predict_class (slides, section 2)."""

import torch

from autograder.shared.inputs import randn, tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close, expect_equal
from autograder.trusted.harness.tolerances import Depth

# The slides' multi-class example: 5 features, 3 classes, scores [2, 2, 4].
SLIDE_X = [0.0, 1.0, 0.0, 1.0, 1.0]
SLIDE_W_BY_CLASS = [[0, 0, 1, 1, 1], [1, 0, 1, 1, 1], [1, 1, 0, 1, 1]]  # one row per class, as drawn
SLIDE_B = [0.0, 0.0, 1.0]


@graded("linear", points=2)
def test_linear_slide_multiclass_example(impl, device):
    """the slides' classifier scores [0, 1, 0, 1, 1] as [2, 2, 4]"""
    x = tensor([SLIDE_X], device=device)
    W = tensor(SLIDE_W_BY_CLASS, device=device).T  # (d_in=5, d_out=3)
    b = tensor(SLIDE_B, device=device)
    expect_close(
        impl.linear(x, W, b),
        tensor([[2.0, 2.0, 4.0]], device=device),
        case="linear(x, W, b) on the slides' example",
        depth=Depth.REDUCTION,
        inputs={"x": x, "W": W, "b": b},
        cause="compute x @ W + b (W has shape (d_in, d_out), so no transpose is needed)",
    )


@graded("linear", points=1)
def test_linear_slide_binary_example(impl, device):
    """the slides' spam example x·W + 0.5 gives 1.5"""
    x = tensor([[0.0, 1.0, 0.0, 1.0, 0.0]], device=device)
    W = tensor([[0.0], [0.0], [1.0], [1.0], [1.0]], device=device)
    b = tensor([0.5], device=device)
    expect_close(
        impl.linear(x, W, b),
        tensor([[1.5]], device=device),
        case="linear on the slides' binary example",
        depth=Depth.REDUCTION,
        inputs={"x": x, "W": W, "b": b},
        cause="add the bias after the product",
    )


@graded("linear", points=2)
def test_linear_batch_matches_formula(impl, device, gen):
    """a random batch matches x·W + b computed in float64"""
    x, W, b = randn(6, 4, gen=gen, device=device), randn(4, 3, gen=gen, device=device), randn(3, gen=gen, device=device)
    expected = (x.double() @ W.double() + b.double()).float()
    expect_close(
        impl.linear(x, W, b),
        expected,
        case="linear on a random batch of 6",
        depth=Depth.REDUCTION,
        inputs={"x": x, "W": W, "b": b},
        cause="one matrix product, then broadcast the bias over the rows",
    )


@graded("predict_sign", points=2)
def test_predict_sign_of_mixed_scores(impl, device):
    """positive and zero scores give +1, negative scores -1, in the scores' dtype"""
    scores = tensor([1.5, -0.2, 0.0, 3.0, -7.0], device=device)
    expect_equal(
        impl.predict_sign(scores),
        tensor([1.0, -1.0, 1.0, 1.0, -1.0], device=device),
        case="predict_sign([1.5, -0.2, 0.0, 3.0, -7.0])",
        inputs={"scores": scores},
        cause="a score of exactly 0 counts as +1 (torch.sign gives 0 there); keep the float dtype",
    )


@graded("predict_class", points=2)
def test_predict_class_slide_example(impl, device):
    """the slides' scores [2, 2, 4] pick class 2 (0-based), as int64"""
    scores = tensor([[2.0, 2.0, 4.0], [0.3, -1.0, 0.1]], device=device)
    expect_equal(
        impl.predict_class(scores),
        torch.tensor([2, 0], device=device),
        case="predict_class on two rows of scores",
        inputs={"scores": scores},
        cause="argmax over the last dimension; classes are 0-based and int64",
    )
