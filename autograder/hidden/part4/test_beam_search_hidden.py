"""Hidden tests for beam_search: exhaustive search when the beam keeps every continuation, the reference for
narrow beams, beam_width = 1 against greedy decoding, a beam wider than the vocabulary, and one call per step."""

import itertools

import pytest
import torch

from assignments.part4.tests.lm_oracles import on_model, sequence_oracle
from autograder.shared.lm_models import build, prefix_mean_spec
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_equal

RANKING = "rank every candidate by its TOTAL log-probability (the beam's score plus the new token's log p)"


def _exhaustive_best(model, idx, new_tokens, vocab):
    """(1, T + new_tokens): the continuation with the highest log-probability, found by trying all of them."""
    tails = torch.tensor(list(itertools.product(range(vocab), repeat=new_tokens)))  # (V^n, n)
    candidates = torch.cat([idx.cpu().expand(len(tails), -1), tails], dim=1)  # (V^n, T + n)
    return candidates[sequence_oracle(model, candidates, idx.shape[1]).argmax()][None]


@pytest.mark.parametrize("beam_width", [16, 50], ids=lambda w: f"width{w}")
@graded("beam_search", points=2)
def test_beam_search_wide_beam_is_exhaustive(impl, device, gen, beam_width):
    """V = 4, 3 new tokens: a beam of >= 16 keeps every continuation that matters, so it finds the best of all 64"""
    for _ in range(2):
        spec = prefix_mean_spec(4, 5, gen, device)
        idx = torch.randint(0, 4, (1, 2), generator=gen).to(device)
        got, _ = on_model(impl, "beam_search", spec, idx, 3, beam_width, 8)
        expect_equal(
            got,
            _exhaustive_best(build(spec), idx, 3, 4).to(device),
            case=f"beam_width={beam_width} against exhaustive search",
            inputs={"idx": idx},
            cause=RANKING + "; with beam_width > V keep at most (beams x V) candidates",
        )


@pytest.mark.parametrize("beam_width", [2, 3], ids=lambda w: f"width{w}")
@graded("beam_search", points=1)
def test_beam_search_narrow_beam_matches_the_reference(impl, ref, device, gen, beam_width):
    """V = 7, 5 new tokens with narrow beams: the same continuation as the reference"""
    for _ in range(2):
        spec = prefix_mean_spec(7, 6, gen, device, scale=1.5)
        idx = torch.randint(0, 7, (1, 3), generator=gen).to(device)
        got, log = on_model(impl, "beam_search", spec, idx, 5, beam_width, 6)
        expect_equal(
            got,
            ref.beam_search(build(spec), idx, 5, beam_width, 6),
            case=f"beam_width={beam_width}",
            inputs={"idx": idx},
            cause=RANKING,
        )
        expect(
            log["calls"] == 5 and max(log["rows"]) <= beam_width,
            case="model calls",
            expected=f"one call per step (5), each on at most {beam_width} beams",
            got=f"{log['calls']} calls on {log['rows']} rows",
            cause="stack all beams of a step into one (n, T) batch",
        )


@graded("beam_search", points=2)
def test_beam_search_width_one_is_greedy_decoding(impl, ref, device, gen):
    """beam_width=1 gives the tokens of generate at temperature 0, with a max_len shorter than the prompt"""
    spec = prefix_mean_spec(9, 6, gen, device, max_len=3)
    idx = torch.randint(0, 9, (1, 5), generator=gen).to(device)
    got, log = on_model(impl, "beam_search", spec, idx, 6, 1, 3)
    expect_equal(
        got,
        ref.generate(build(spec), idx, 6, 3, temperature=0.0),
        case="beam_width=1 against greedy decoding",
        inputs={"idx": idx},
        cause="one beam keeps the single best token at every step; the model sees idx[:, -max_len:]",
    )
    expect(
        log["lengths"] == [3] * 6,
        case="tokens per model call",
        expected="[3, 3, 3, 3, 3, 3]",
        got=str(log["lengths"]),
        cause="crop every beam to its last max_len tokens",
    )
