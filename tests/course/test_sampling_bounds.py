"""The sampling tests of Part 4 cannot flake: their threshold is a proven bound, and correct samplers clear it.

``expect_frequencies`` (assignments/part4/tests/lm_oracles.py) allows a token's
frequency to stray from its probability by eps, with 2 k exp(-2 n eps^2) = 1e-7
(Hoeffding's inequality and a union bound over the k tokens). Here: the formula
is what the comment says, three exact samplers (the reference's torch.multinomial
and the catalog's Gumbel-max and inverse CDF) pass on 20 seeds each, and the
largest deviation seen over 200 seeds stays far below eps. (For a sampler that
uses its ``generator``, the graded tests are also deterministic: each seeds its
own generator, so a rerun draws the same numbers.)
"""

import math

import pytest
import torch

from assignments.part4.tests.lm_oracles import (
    FAILURE_PROBABILITY,
    expect_frequencies,
    frequency_tolerance,
    sampling_distribution,
)
from autograder.catalog.part4 import sample_gumbel_max, sample_inverse_cdf
from solutions.part4.sampling import sample_next_token

N = 4000
ROW = torch.tensor([[0.1, 0.2, 0.3, 0.4]], dtype=torch.float64).log()
CASES = [{}, {"temperature": 0.5}, {"top_k": 2}, {"top_p": 0.6}, {"top_k": 3, "top_p": 0.5, "temperature": 1.5}]


def test_the_tolerance_solves_the_hoeffding_bound():
    for n, k in ((20_000, 4), (20_000, 9), (5_000, 2)):
        eps = frequency_tolerance(n, k)
        assert math.isclose(2 * k * math.exp(-2 * n * eps**2), FAILURE_PROBABILITY, rel_tol=1e-9)
    assert frequency_tolerance(4000, 8) == pytest.approx(0.0486, abs=1e-4)


@pytest.mark.parametrize(
    "sampler", [sample_next_token, sample_gumbel_max, sample_inverse_cdf], ids=lambda f: f.__name__
)
def test_exact_samplers_pass_on_twenty_seeds(sampler):
    for options in CASES:
        probs = sampling_distribution(ROW, **options)[0]
        for seed in range(20):
            draws = sampler(ROW.repeat(N, 1), generator=torch.Generator().manual_seed(seed), **options)
            expect_frequencies(draws, probs, case=f"{options} seed {seed}", cause="")


def test_observed_deviations_stay_far_below_the_bound():
    probs = sampling_distribution(ROW)[0]
    worst = 0.0
    for seed in range(200):
        draws = sample_next_token(ROW.repeat(N, 1), generator=torch.Generator().manual_seed(1000 + seed))
        freq = torch.bincount(draws, minlength=4).double() / N
        worst = max(worst, float((freq - probs).abs().max()))
    # The standard deviation of a frequency is at most 0.5 / sqrt(N) = 0.0035; eps is about six of them.
    assert worst < 0.6 * frequency_tolerance(N, 4), worst
