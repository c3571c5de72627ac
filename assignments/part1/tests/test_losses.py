"""Public tests for the losses (slides, section 2: "How do you choose a loss function?")."""

import torch

from autograder.shared.inputs import labels, randn, tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close
from autograder.trusted.harness.tolerances import Depth


def scalar(value: float, device: str) -> torch.Tensor:
    return torch.tensor(value, dtype=torch.float32, device=device)


@graded("mse_loss", points=2)
def test_mse_loss_small_example(impl, device):
    """errors 1, -2 and 0 give a mean squared error of 5/3"""
    pred, target = tensor([1.0, 0.0, 3.0], device=device), tensor([0.0, 2.0, 3.0], device=device)
    expect_close(
        impl.mse_loss(pred, target),
        scalar(5 / 3, device),
        case="mse_loss([1, 0, 3], [0, 2, 3])",
        depth=Depth.REDUCTION,
        inputs={"pred": pred, "target": target},
        cause="mean (not sum) of the squared differences, returned as a 0-dim tensor",
    )


@graded("hinge_loss", points=2)
def test_hinge_loss_small_example(impl, device):
    """margins 2, 0.5 and -1 cost 0, 0.5 and 2: mean 5/6"""
    scores, y = tensor([2.0, 0.5, 1.0], device=device), tensor([1.0, 1.0, -1.0], device=device)
    expect_close(
        impl.hinge_loss(scores, y),
        scalar(2.5 / 3, device),
        case="hinge_loss([2, 0.5, 1], [+1, +1, -1])",
        depth=Depth.REDUCTION,
        inputs={"scores": scores, "y": y},
        cause="max(0, 1 - y*s) per sample, then the mean; well-classified points with margin >= 1 cost 0",
    )


@graded("multiclass_hinge_loss", points=2)
def test_multiclass_hinge_loss_small_example(impl, device):
    """gold 4 vs best other 2 costs 0; gold 2 vs best other 4 costs 3"""
    scores = tensor([[2.0, 2.0, 4.0], [2.0, 2.0, 4.0]], device=device)
    y = torch.tensor([2, 0], device=device)
    expect_close(
        impl.multiclass_hinge_loss(scores, y),
        scalar(1.5, device),
        case="multiclass_hinge_loss on the slides' scores",
        depth=Depth.REDUCTION,
        inputs={"scores": scores, "y": y},
        cause="max(0, 1 + best wrong score - gold score) per row; the gold class must not count as 'wrong'",
    )


@graded("binary_cross_entropy", points=2)
def test_binary_cross_entropy_matches_formula(impl, device, gen):
    """moderate logits match -[y log s + (1-y) log(1-s)] averaged"""
    logits = randn(8, gen=gen, device=device, scale=2)
    y = labels(8, 2, gen=gen, device=device).float()
    expected = torch.nn.functional.binary_cross_entropy_with_logits(logits.double(), y.double()).float()
    expect_close(
        impl.binary_cross_entropy(logits, y),
        expected,
        case="binary_cross_entropy on 8 random logits",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "y": y},
        cause="the per-sample loss is max(z,0) - y*z + log(1 + e^-|z|); average over the batch",
    )


@graded("binary_cross_entropy", points=2)
def test_binary_cross_entropy_huge_logits_stay_finite(impl, device):
    """logits of +-1e4 give a finite loss (1e4 for the two wrong ones)"""
    logits, y = tensor([1e4, -1e4, 1e4, -1e4], device=device), tensor([1.0, 0.0, 0.0, 1.0], device=device)
    expect_close(
        impl.binary_cross_entropy(logits, y),
        scalar(5000.0, device),
        case="binary_cross_entropy with logits +-1e4",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "y": y},
        cause="log(sigmoid(z)) is -inf once sigmoid rounds to 0; use the stable form max(z,0) - y*z + log1p(e^-|z|)",
    )


@graded("cross_entropy", points=2)
def test_cross_entropy_matches_formula(impl, device, gen):
    """random logits match the mean of -log softmax(logits)[gold]"""
    logits, y = randn(5, 4, gen=gen, device=device, scale=2), labels(5, 4, gen=gen, device=device)
    expected = torch.nn.functional.cross_entropy(logits.double(), y).float()
    expect_close(
        impl.cross_entropy(logits, y),
        expected,
        case="cross_entropy on 5 samples, 4 classes",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "y": y},
        cause="pick log_softmax(logits)[i, y_i] for each row, negate, average",
    )


@graded("cross_entropy", points=2)
def test_cross_entropy_large_logits_stay_finite(impl, device):
    """logits of 1000 give the exact loss, not inf or nan"""
    logits, y = tensor([[1000.0, 0.0], [0.0, 1000.0]], device=device), torch.tensor([1, 1], device=device)
    expect_close(
        impl.cross_entropy(logits, y),
        scalar(500.0, device),
        case="cross_entropy([[1000, 0], [0, 1000]], [1, 1])",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "y": y},
        cause="go through a stable log_softmax (subtract the max) rather than log(softmax)",
    )
