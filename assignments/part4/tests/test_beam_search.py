"""Public tests for beam_search: a bigram example where greedy decoding and a beam of two disagree."""

import torch

from assignments.part4.tests.lm_oracles import on_model
from assignments.part4.tests.worked_examples import bigram
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_equal

# From [0], greedy takes 1 (p = 0.5) and then 0 (0.4): 0.20 in all. Token 2 is less likely first
# (0.4) but is followed by 0 with 0.9: 0.36. A beam of two keeps both and finds [0, 2, 0].


@graded("beam_search", points=3)
def test_beam_search_finds_what_greedy_misses(impl, device):
    """from [0], two steps, beam_width=2: [0, 2, 0] (p = 0.36), not greedy's [0, 1, 0] (0.20)"""
    idx = torch.tensor([[0]], device=device)
    got, log = on_model(impl, "beam_search", bigram(device), idx, 2, 2, 8)
    expect_equal(
        got,
        torch.tensor([[0, 2, 0]], device=device),
        case="beam search with beam_width=2",
        inputs={"idx": idx},
        cause="rank candidates by their TOTAL log-probability (sum over the new tokens) and return the best",
    )
    expect(
        log["calls"] == 2,
        case="model calls",
        expected="one call per step, all beams together (2)",
        got=f"{log['calls']}",
        cause="stack the beams into one (n, T) batch for each model call",
    )


@graded("beam_search", points=2)
def test_beam_search_width_one_is_greedy(impl, device):
    """beam_width=1 from [0]: greedy's [0, 1, 0]"""
    idx = torch.tensor([[0]], device=device)
    got, _ = on_model(impl, "beam_search", bigram(device), idx, 2, 1, 8)
    expect_equal(
        got,
        torch.tensor([[0, 1, 0]], device=device),
        case="beam search with beam_width=1",
        inputs={"idx": idx},
        cause="with one beam, keep the single best extension at every step",
    )
