"""Hidden tests for generate: greedy decoding against the reference on a window-sensitive model, a max_len
shorter than the prompt, the joint distribution of two sampled tokens, and the generator."""

import pytest
import torch

from assignments.part4.tests.lm_oracles import expect_frequencies, on_model
from assignments.part4.tests.worked_examples import BIGRAM, bigram
from autograder.shared.lm_models import build, prefix_mean_spec
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_equal

DRAWS = 4000


@pytest.mark.parametrize("max_len", [2, 4, 9], ids=lambda n: f"max_len{n}")
@graded("generate", points=1)
def test_generate_greedy_matches_the_reference(impl, ref, device, gen, max_len):
    """a 4-token prompt, 5 greedy tokens, windows shorter and longer than the prompt"""
    spec = prefix_mean_spec(8, 6, gen, device, max_len=max_len)
    idx = torch.randint(0, 8, (3, 4), generator=gen).to(device)
    got, log = on_model(impl, "generate", spec, idx, 5, max_len, temperature=0.0)
    expect_equal(
        got,
        ref.generate(build(spec), idx, 5, max_len, temperature=0.0),
        case=f"greedy tokens with max_len={max_len}",
        inputs={"idx": idx},
        cause="each step calls the model on idx[:, -max_len:] and reads the LAST position's logits",
    )
    lengths = [min(max_len, 4 + step) for step in range(5)]
    expect(
        log["calls"] == 5 and log["lengths"] == lengths and log["rows"] == [3] * 5,
        case="model calls",
        expected=f"5 calls on all 3 rows, of {lengths} tokens",
        got=f"{log['calls']} calls, rows {log['rows']}, tokens {log['lengths']}",
        cause="one model call per new token, on the whole batch, cropped to max_len",
    )


@graded("generate", points=2)
def test_generate_samples_the_chain_rule(impl):
    """4000 rows from [1], two tokens at temperature 1: each pair (a, b) drawn p(a | 1) p(b | a) of the time"""
    idx = torch.ones(DRAWS, 1, dtype=torch.int64)
    got, _ = on_model(
        impl, "generate", bigram(dtype=torch.float64), idx, 2, 4, generator=torch.Generator().manual_seed(8)
    )
    expect(
        isinstance(got, torch.Tensor) and got.shape == (DRAWS, 3),
        case="shape",
        expected=f"({DRAWS}, 3)",
        got=str(tuple(getattr(got, "shape", ()))),
        cause="(B, T + max_new_tokens)",
    )
    joint = torch.tensor([[BIGRAM[1][a] * BIGRAM[a][b] for b in range(3)] for a in range(3)], dtype=torch.float64)
    expect_frequencies(
        got[:, 1] * 3 + got[:, 2],
        joint.reshape(-1),
        case="joint frequencies of the two new tokens",
        cause="sample each new token from the model's logits at the last position, given everything so far",
    )


@graded("generate", points=1)
def test_generate_top_k_one_is_greedy_and_the_generator_decides(impl, gen):
    """top_k=1 equals temperature 0; the same seed twice gives the same text"""
    spec = prefix_mean_spec(6, 4, gen, scale=1.0)
    idx = torch.randint(0, 6, (64, 2), generator=gen)
    greedy, _ = on_model(impl, "generate", spec, idx, 4, 6, temperature=0.0)
    top1, _ = on_model(impl, "generate", spec, idx, 4, 6, top_k=1, generator=torch.Generator())
    expect_equal(top1, greedy, case="top_k=1 against temperature 0", inputs={"idx": idx})
    runs = [
        on_model(impl, "generate", spec, idx, 4, 6, top_p=0.95, generator=torch.Generator().manual_seed(4))[0]
        for _ in range(2)
    ]
    expect(
        all(isinstance(r, torch.Tensor) for r in runs) and torch.equal(runs[0], runs[1]),
        case="two runs with generators seeded alike",
        expected="identical tokens",
        got="different tokens",
        cause="hand the generator to sample_next_token at every step",
    )
