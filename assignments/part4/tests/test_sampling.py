"""Public tests for sample_next_token: temperature, top-k and the nucleus, judged by frequencies of many draws."""

import math

import torch

from assignments.part4.tests.lm_oracles import expect_frequencies, sampling_distribution
from autograder.shared.inputs import tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_equal

DRAWS = 4000  # rows of one call: each row is one independent draw
LOGITS = [math.log(0.1), math.log(0.2), math.log(0.3), math.log(0.4)]  # p = (0.1, 0.2, 0.3, 0.4) at T = 1


def _draws(impl, row, seed=0, **options):
    logits = tensor([row], dtype=torch.float64).repeat(DRAWS, 1)  # a plain (DRAWS, V) tensor, as the grader sends it
    return impl.sample_next_token(logits, generator=torch.Generator().manual_seed(seed), **options)


@graded("sample_next_token", points=2)
def test_sample_next_token_temperature_zero_is_the_argmax(impl, device, gen):
    """temperature=0 returns the argmax of each row, int64, on the input's device"""
    logits = torch.randn(6, 9, generator=gen).to(device)
    expect_equal(
        impl.sample_next_token(logits, temperature=0.0),
        logits.argmax(dim=-1),
        case="temperature 0",
        inputs={"logits": logits},
        cause="temperature 0 means no randomness: logits.argmax(dim=-1)",
    )


@graded("sample_next_token", points=2)
def test_sample_next_token_frequencies_at_temperature_one(impl):
    """p = (0.1, 0.2, 0.3, 0.4): 4000 draws land on each token that often"""
    expect_frequencies(
        _draws(impl, LOGITS),
        sampling_distribution(tensor([LOGITS]))[0],
        case="frequencies of 4000 draws at temperature 1",
        cause="draw from softmax(logits) with torch.multinomial(probs, 1, generator=generator)",
    )


@graded("sample_next_token", points=2)
def test_sample_next_token_temperature_sharpens(impl):
    """temperature 0.5 squares the probabilities before renormalising: (1, 4, 9, 16) / 30"""
    probs = torch.tensor([1.0, 4.0, 9.0, 16.0], dtype=torch.float64) / 30
    expect_frequencies(
        _draws(impl, LOGITS, temperature=0.5),
        probs,
        case="frequencies at temperature 0.5",
        cause="divide the logits by the temperature before the softmax",
    )


@graded("sample_next_token", points=2)
def test_sample_next_token_top_k(impl):
    """top_k=2 keeps tokens 2 and 3 only: probabilities 3/7 and 4/7"""
    probs = torch.tensor([0.0, 0.0, 3 / 7, 4 / 7], dtype=torch.float64)
    expect_frequencies(
        _draws(impl, LOGITS, top_k=2),
        probs,
        case="frequencies with top_k=2",
        cause="give -inf to every token outside torch.topk(logits, top_k), then renormalise",
    )


@graded("sample_next_token", points=2)
def test_sample_next_token_nucleus(impl):
    """top_p=0.6: the fewest likeliest tokens reaching 0.6 are 3 and 2 (0.4 + 0.3), renormalised"""
    probs = torch.tensor([0.0, 0.0, 3 / 7, 4 / 7], dtype=torch.float64)
    expect_frequencies(
        _draws(impl, LOGITS, top_p=0.6),
        probs,
        case="frequencies with top_p=0.6",
        cause="sort descending, cumsum, and keep a token while the tokens before it sum to less than top_p",
    )


@graded("sample_next_token", points=2)
def test_sample_next_token_depends_only_on_the_generator(impl):
    """the same seed gives the same draws, whatever the global random state"""
    torch.manual_seed(1)
    first = _draws(impl, LOGITS, seed=7)
    torch.manual_seed(2)
    second = _draws(impl, LOGITS, seed=7)
    expect(
        isinstance(first, torch.Tensor) and isinstance(second, torch.Tensor) and torch.equal(first, second),
        case="two calls with generators seeded alike",
        expected="identical draws",
        got="different draws",
        cause="pass generator=generator to every random call (torch.multinomial, torch.rand ...)",
    )
