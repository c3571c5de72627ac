"""Hidden tests for the five losses: random batches, extreme logits, dtypes, devices, inputs left intact."""

import pytest
import torch

from autograder.hidden.oracle import FLOAT_DTYPES, check_against_reference
from autograder.shared.inputs import labels, non_contiguous, randn, signs
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close
from autograder.trusted.harness.tolerances import Depth

F = torch.nn.functional


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("mse_loss", points=3)
def test_mse_loss_random_tensors(impl, ref, device, gen, dtype):
    """random (3, 4, 5) predictions and targets: mean over every element"""
    args = {
        "pred": randn(3, 4, 5, gen=gen, device=device, dtype=dtype),
        "target": randn(3, 4, 5, gen=gen, device=device, dtype=dtype),
    }
    check_against_reference(
        impl,
        ref,
        "mse_loss",
        args,
        case=f"mse_loss on {dtype} (3, 4, 5) tensors",
        depth=Depth.REDUCTION,
        cause="mean over all elements (not only the first dimension), as a 0-dim tensor",
    )


@graded("mse_loss", points=1)
def test_mse_loss_matches_pytorch_on_vectors(impl, device, gen):
    """equals torch's mse_loss in float64"""
    pred, target = (
        randn(10, gen=gen, device=device, dtype=torch.float64),
        randn(10, gen=gen, device=device, dtype=torch.float64),
    )
    expect_close(
        impl.mse_loss(pred, target),
        F.mse_loss(pred, target),
        case="mse_loss on float64 vectors",
        depth=Depth.REDUCTION,
        inputs={"pred": pred, "target": target},
        cause="mean of squared differences",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("hinge_loss", points=3)
def test_hinge_loss_random_scores(impl, ref, device, gen, dtype):
    """random scores of scale 2 with labels +-1"""
    args = {
        "scores": randn(16, gen=gen, device=device, dtype=dtype, scale=2),
        "y": signs(16, gen=gen, device=device, dtype=dtype),
    }
    check_against_reference(
        impl,
        ref,
        "hinge_loss",
        args,
        case=f"hinge_loss on 16 {dtype} scores",
        depth=Depth.REDUCTION,
        cause="mean of max(0, 1 - y*s)",
    )


@graded("hinge_loss", points=1)
def test_hinge_loss_exact_margin_costs_nothing(impl, device):
    """y*s exactly 1 costs 0; y*s = 0 costs 1"""
    scores, y = torch.tensor([1.0, -1.0, 0.0], device=device), torch.tensor([1.0, -1.0, 1.0], device=device)
    expect_close(
        impl.hinge_loss(scores, y),
        torch.tensor(1 / 3, device=device),
        case="hinge_loss at the margin",
        depth=Depth.REDUCTION,
        inputs={"scores": scores, "y": y},
        cause="max(0, 1 - y*s): the margin is 1",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("multiclass_hinge_loss", points=3)
def test_multiclass_hinge_loss_random_scores(impl, ref, device, gen, dtype):
    """random (12, 5) scores, gold classes anywhere"""
    args = {
        "scores": randn(12, 5, gen=gen, device=device, dtype=dtype, scale=2),
        "y": labels(12, 5, gen=gen, device=device),
    }
    check_against_reference(
        impl,
        ref,
        "multiclass_hinge_loss",
        args,
        case=f"multiclass_hinge_loss on {dtype} (12, 5) scores",
        depth=Depth.REDUCTION,
        cause="per row: max(0, 1 + best wrong score - gold score); the mean over rows",
    )


@graded("multiclass_hinge_loss", points=2)
def test_multiclass_hinge_loss_negative_scores(impl, ref, device, gen):
    """all scores negative: masking the gold class with 0 would be wrong"""
    args = {"scores": -5 - randn(6, 4, gen=gen, device=device).abs(), "y": labels(6, 4, gen=gen, device=device)}
    check_against_reference(
        impl,
        ref,
        "multiclass_hinge_loss",
        args,
        case="multiclass_hinge_loss with all scores below -5",
        depth=Depth.REDUCTION,
        cause="exclude the gold class with -inf (or topk), not by setting it to 0",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("binary_cross_entropy", points=3)
def test_binary_cross_entropy_random_logits(impl, ref, device, gen, dtype):
    """random logits of scale 4 with labels in {0, 1}"""
    args = {
        "logits": randn(20, gen=gen, device=device, dtype=dtype, scale=4),
        "y": labels(20, 2, gen=gen, device=device).to(dtype),
    }
    check_against_reference(
        impl,
        ref,
        "binary_cross_entropy",
        args,
        case=f"binary_cross_entropy on {dtype} logits",
        depth=Depth.REDUCTION,
        cause="the mean of max(z,0) - y*z + log1p(e^-|z|)",
    )


@graded("binary_cross_entropy", points=3)
def test_binary_cross_entropy_confident_mistakes(impl, device):
    """logits of +-1e4 and +-100 with the wrong label cost exactly |z|"""
    logits = torch.tensor([1e4, -1e4, 100.0, -100.0, 30.0], device=device)
    y = torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0], device=device)
    expected = F.binary_cross_entropy_with_logits(logits.double(), y.double()).float()
    expect_close(
        impl.binary_cross_entropy(logits, y),
        expected,
        case="binary_cross_entropy of confident mistakes",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "y": y},
        cause="clamping probabilities (e.g. to 1e-7) caps the loss near 16; use the log-space formula",
    )


@graded("binary_cross_entropy", points=1)
def test_binary_cross_entropy_float64_matches_pytorch(impl, device, gen):
    """float64 logits match torch's binary_cross_entropy_with_logits"""
    logits, y = (
        randn(9, gen=gen, device=device, dtype=torch.float64, scale=10),
        labels(9, 2, gen=gen, device=device).double(),
    )
    expect_close(
        impl.binary_cross_entropy(logits, y),
        F.binary_cross_entropy_with_logits(logits, y),
        case="binary_cross_entropy in float64",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "y": y},
        cause="the mean of max(z,0) - y*z + log1p(e^-|z|)",
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@graded("cross_entropy", points=3)
def test_cross_entropy_random_logits(impl, ref, device, gen, dtype):
    """random (10, 6) logits of scale 3"""
    args = {
        "logits": randn(10, 6, gen=gen, device=device, dtype=dtype, scale=3),
        "y": labels(10, 6, gen=gen, device=device),
    }
    check_against_reference(
        impl,
        ref,
        "cross_entropy",
        args,
        case=f"cross_entropy on {dtype} (10, 6) logits",
        depth=Depth.REDUCTION,
        cause="mean over rows of -log_softmax(logits)[i, y_i]",
    )


@graded("cross_entropy", points=3)
def test_cross_entropy_huge_logits(impl, device):
    """logits of +-1e4 give the exact loss (finite)"""
    logits = torch.tensor([[1e4, -1e4, 0.0], [0.0, 1e4, 1e4]], device=device)
    y = torch.tensor([1, 0], device=device)
    expected = F.cross_entropy(logits.double(), y).float()
    expect_close(
        impl.cross_entropy(logits, y),
        expected,
        case="cross_entropy with logits of +-1e4",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "y": y},
        cause="use a stable log_softmax: never log(softmax) or exp(1e4)",
    )


@graded("cross_entropy", points=2)
def test_cross_entropy_float64_and_non_contiguous(impl, device, gen):
    """float64 non-contiguous logits match torch's cross_entropy"""
    logits = non_contiguous(randn(7, 4, gen=gen, device=device, dtype=torch.float64, scale=2))
    y = labels(7, 4, gen=gen, device=device)
    expect_close(
        impl.cross_entropy(logits, y),
        F.cross_entropy(logits, y),
        case="cross_entropy on a float64 strided view",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "y": y},
        cause="index rows with torch.arange(n) and y",
    )
