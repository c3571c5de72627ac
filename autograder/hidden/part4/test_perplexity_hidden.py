"""Hidden tests for perplexity: against exp(cross-entropy) in float64, masks (one token kept), huge logits, dtypes."""

import pytest
import torch

from assignments.part4.tests.lm_oracles import log_softmax64
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close, expect_unchanged, snapshot
from autograder.trusted.harness.tolerances import Depth

CAUSE = "exp(mean(-log p(target))) over the counted tokens, natural logarithms"


def _oracle(logits, targets, mask=None):
    nll = -log_softmax64(logits).gather(-1, targets.cpu()[..., None])[..., 0]  # (B, T)
    counted = torch.ones_like(nll, dtype=torch.bool) if mask is None else mask.cpu()
    return nll[counted].mean().exp()


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=str)
@graded("perplexity", points=1)
def test_perplexity_random_logits(impl, device, gen, dtype):
    """(3, 5, 8) random logits: perplexity equals exp of PyTorch's cross-entropy"""
    logits = randn(3, 5, 8, gen=gen, device=device, dtype=dtype, scale=2.0)
    targets = torch.randint(0, 8, (3, 5), generator=gen).to(device)
    before = snapshot({"logits": logits, "targets": targets})
    expect_close(
        impl.perplexity(logits, targets),
        _oracle(logits, targets).to(device=device, dtype=dtype),
        case=f"perplexity in {dtype}",
        depth=Depth.CHAIN,
        inputs={"logits": logits, "targets": targets},
        cause=CAUSE,
    )
    expect_unchanged(before, {"logits": logits, "targets": targets}, case="perplexity inputs")


@graded("perplexity", points=2)
def test_perplexity_random_masks(impl, device, gen):
    """a random mask, and a mask that keeps one token (perplexity = 1 / p of that token)"""
    logits = randn(4, 6, 5, gen=gen, device=device, dtype=torch.float64, scale=2.0)
    targets = torch.randint(0, 5, (4, 6), generator=gen).to(device)
    mask = (torch.rand(4, 6, generator=gen) < 0.5).to(device)
    mask[0, 0] = True
    one = torch.zeros(4, 6, dtype=torch.bool, device=device)
    one[2, 3] = True
    for case, m in (("a random mask", mask), ("a mask keeping one token", one)):
        expect_close(
            impl.perplexity(logits, targets, m),
            _oracle(logits, targets, m).to(device),
            case=case,
            depth=Depth.CHAIN,
            inputs={"logits": logits, "targets": targets, "mask": m},
            cause="divide the masked sum of losses by mask.sum(); masked-out positions count nowhere",
        )


@graded("perplexity", points=1)
def test_perplexity_huge_logits(impl, device, gen):
    """logits of +-1e4: finite where the targets are the likely tokens"""
    logits = torch.full((2, 3, 4), -1e4, dtype=torch.float64)
    targets = torch.randint(0, 4, (2, 3), generator=gen)
    logits.scatter_(-1, targets[..., None], 1e4)
    logits[0, 0, (targets[0, 0] + 1) % 4] = 1e4 - 1.0  # one runner-up within reach
    logits, targets = logits.to(device), targets.to(device)
    expect_close(
        impl.perplexity(logits, targets),
        _oracle(logits, targets).to(device),
        case="perplexity of confident logits",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "targets": targets},
        cause="compute log-probabilities stably (log_softmax), never log(softmax(...))",
    )
