"""Public tests for generate: the sampling loop, its context window and one model call per new token."""

import torch

from assignments.part4.tests.lm_oracles import on_model
from assignments.part4.tests.worked_examples import bigram
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_equal


@graded("generate", points=3)
def test_generate_greedy_follows_the_bigram_table(impl, device):
    """temperature 0 from [1]: 1 -> 0 -> 1 -> 0 (0.4 and 0.5 are the largest entries of rows 1 and 0)"""
    idx = torch.tensor([[1], [2]], device=device)
    got, log = on_model(impl, "generate", bigram(device), idx, 3, 8, temperature=0.0)
    expect_equal(
        got,
        torch.tensor([[1, 0, 1, 0], [2, 0, 1, 0]], device=device),
        case="greedy continuation of [1] and [2]",
        inputs={"idx": idx},
        cause="each step appends sample_next_token of the LAST position's logits to the prompt",
    )
    expect(
        log["calls"] == 3,
        case="model calls",
        expected="one call per new token (3)",
        got=f"{log['calls']}",
    )


@graded("generate", points=2)
def test_generate_crops_to_max_len(impl, device):
    """a model that accepts at most 2 tokens: every call gets the last max_len=2 tokens"""
    idx = torch.tensor([[0, 2, 1]], device=device)
    got, log = on_model(impl, "generate", bigram(device, max_len=2), idx, 2, 2, temperature=0.0)
    expect_equal(
        got,
        torch.tensor([[0, 2, 1, 0, 1]], device=device),
        case="greedy continuation with max_len=2",
        inputs={"idx": idx},
        cause="call the model on idx[:, -max_len:]",
    )
    expect(
        log["lengths"] == [2, 2],
        case="tokens per model call",
        expected="[2, 2]",
        got=str(log["lengths"]),
        cause="crop to the last max_len tokens at every step",
    )
