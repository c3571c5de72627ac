"""Public tests for perplexity (exp of the mean negative log-likelihood)."""

import math

import torch

from autograder.shared.inputs import tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect_close
from autograder.trusted.harness.tolerances import Depth


@graded("perplexity", points=2)
def test_perplexity_of_a_uniform_model_is_the_vocabulary_size(impl, device, gen):
    """equal logits over 7 tokens: perplexity 7, whatever the targets"""
    logits = torch.zeros(2, 4, 7, device=device)
    targets = torch.randint(0, 7, (2, 4), generator=gen).to(device)
    expect_close(
        impl.perplexity(logits, targets),
        torch.tensor(7.0, device=device),
        case="perplexity of uniform logits",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "targets": targets},
        cause="exp of the mean of -log p(target) in natural logarithms (not base 2, not the sum)",
    )


@graded("perplexity", points=2)
def test_perplexity_by_hand(impl, device):
    """two tokens with probabilities 1/2 and 1/8: exp(mean(log 2, log 8)) = 4"""
    logits = tensor([[[math.log(0.5), math.log(0.5)], [math.log(1.0), math.log(7.0)]]], device=device)
    targets = torch.tensor([[0, 0]], device=device)
    expect_close(
        impl.perplexity(logits, targets),
        torch.tensor(4.0, device=device),
        case="perplexity of p = (1/2, 1/8)",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "targets": targets},
        cause="the geometric mean of 1/p: exp of the mean negative log-likelihood",
    )


@graded("perplexity", points=2)
def test_perplexity_counts_only_masked_tokens(impl, device):
    """the masked-out token (probability 1/8) does not count: perplexity 2"""
    logits = tensor([[[math.log(0.5), math.log(0.5)], [math.log(1.0), math.log(7.0)]]], device=device)
    targets = torch.tensor([[0, 0]], device=device)
    mask = torch.tensor([[True, False]], device=device)
    expect_close(
        impl.perplexity(logits, targets, mask),
        torch.tensor(2.0, device=device),
        case="perplexity with the second token masked out",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "targets": targets, "mask": mask},
        cause="average over the counted tokens only: divide by mask.sum(), not by the number of positions",
    )
