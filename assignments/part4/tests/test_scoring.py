"""Public tests for token_log_probs and sequence_log_prob (the chain rule of probability)."""

import math

import torch

from assignments.part4.tests.lm_oracles import on_model
from assignments.part4.tests.worked_examples import BIGRAM, bigram
from autograder.shared.inputs import tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth


@graded("token_log_probs", points=2)
def test_token_log_probs_three_token_vocabulary(impl, device):
    """logits log([1, 2, 1]): the middle token has probability 1/2, the others 1/4"""
    logits = tensor([[0.0, math.log(2.0), 0.0], [0.0, math.log(2.0), 0.0]], device=device)
    targets = torch.tensor([1, 2], device=device)
    expect_close(
        impl.token_log_probs(logits, targets),
        tensor([math.log(0.5), math.log(0.25)], device=device),
        case="log-probabilities of targets 1 and 2",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "targets": targets},
        cause="log softmax over the last dimension, then the entry of each row's target",
    )


@graded("token_log_probs", points=2)
def test_token_log_probs_large_logits_stay_finite(impl, device):
    """logits of +-1e4 give finite log-probabilities: 0 for the winner, about -2e4 for the loser"""
    logits = tensor([[1e4, -1e4], [1e4, -1e4]], device=device)
    targets = torch.tensor([0, 1], device=device)
    expect_close(
        impl.token_log_probs(logits, targets),
        tensor([0.0, -2e4], device=device),
        case="log-probabilities of huge logits",
        depth=Depth.ILL_CONDITIONED,
        inputs={"logits": logits, "targets": targets},
        cause="log(softmax(...)) overflows; subtract the row maximum first or use torch.log_softmax",
    )


@graded("token_log_probs", points=1)
def test_token_log_probs_keeps_the_batch_shape(impl, device, gen):
    """logits (2, 3, 5) and targets (2, 3) give log-probabilities of shape (2, 3)"""
    logits = torch.randn(2, 3, 5, generator=gen).to(device)
    targets = torch.randint(0, 5, (2, 3), generator=gen).to(device)
    expected = torch.log_softmax(logits.double(), dim=-1).gather(-1, targets[..., None])[..., 0]
    expect_close(
        impl.token_log_probs(logits, targets),
        expected.float(),
        case="batched token log-probabilities",
        depth=Depth.REDUCTION,
        inputs={"logits": logits, "targets": targets},
        cause="gather along the last dimension with targets.unsqueeze(-1), then squeeze(-1)",
    )


@graded("sequence_log_prob", points=3)
def test_sequence_log_prob_bigram_by_hand(impl, device):
    """prompt [0], continuation [1, 0]: log p(1 | 0) + log p(0 | 1) = log 0.5 + log 0.4"""
    idx = torch.tensor([[0, 1, 0], [0, 2, 0]], device=device)
    got, log = on_model(impl, "sequence_log_prob", bigram(device), idx, 1)
    expected = [math.log(BIGRAM[0][1] * BIGRAM[1][0]), math.log(BIGRAM[0][2] * BIGRAM[2][0])]
    expect_close(
        got,
        tensor(expected, device=device),
        case="log-probabilities of [0, 1, 0] and [0, 2, 0] after a prompt of 1 token",
        depth=Depth.REDUCTION,
        inputs={"idx": idx},
        cause="the logits at position t - 1 score the token at position t: logits[:, prompt_len - 1 : -1]",
    )
    expect(
        log["calls"] == 1,
        case="model calls",
        expected="one call of model(idx)",
        got=f"{log['calls']} calls",
        cause="one forward pass scores every position at once",
    )


@graded("sequence_log_prob", points=2)
def test_sequence_log_prob_skips_the_prompt(impl, device):
    """prompt [0, 1]: only the last token counts, log p(2 | 1) = log 0.3"""
    idx = torch.tensor([[0, 1, 2]], device=device)
    got, _ = on_model(impl, "sequence_log_prob", bigram(device), idx, 2)
    expect_close(
        got,
        tensor([math.log(BIGRAM[1][2])], device=device),
        case="log-probability after a prompt of 2 tokens",
        depth=Depth.REDUCTION,
        inputs={"idx": idx},
        cause="sum only over t = prompt_len .. T - 1",
    )
