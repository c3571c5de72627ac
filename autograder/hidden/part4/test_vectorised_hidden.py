"""Hidden tests: no Python loops over rows or positions. The number of torch calls a function makes must not
grow with the batch or the sequence (the loops over new tokens in generate and beam_search are the contract's)."""

import torch

from assignments.part4.tests.lm_oracles import on_model
from autograder.shared.inputs import randn
from autograder.shared.lm_models import prefix_mean_spec
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect

LOOP = "a Python loop over rows or positions; index, gather and reduce whole tensors instead"


def _calls(impl) -> int:
    return impl.last_record.total_functions if impl.last_record is not None else -1


def _expect_same(counts: list[int], case: str) -> None:
    expect(
        counts[0] == counts[1],
        case=case,
        expected="the same number of torch calls for both sizes",
        got=f"{counts[0]} vs {counts[1]}",
        cause=LOOP,
    )


@graded("token_log_probs", points=1)
def test_token_log_probs_operation_count(impl, gen):
    """(1, 2, 5) and (4, 9, 5) logits: the same number of torch calls"""
    counts = []
    for B, T in ((1, 2), (4, 9)):
        impl.token_log_probs(randn(B, T, 5, gen=gen), torch.randint(0, 5, (B, T), generator=gen))
        counts.append(_calls(impl))
    _expect_same(counts, "token_log_probs on (1, 2, 5) and (4, 9, 5)")


@graded("perplexity", points=1)
def test_perplexity_operation_count(impl, gen):
    """(1, 2, 5) and (4, 9, 5) logits with masks: the same number of torch calls"""
    counts = []
    for B, T in ((1, 2), (4, 9)):
        mask = torch.ones(B, T, dtype=torch.bool)
        impl.perplexity(randn(B, T, 5, gen=gen), torch.randint(0, 5, (B, T), generator=gen), mask)
        counts.append(_calls(impl))
    _expect_same(counts, "perplexity on (1, 2, 5) and (4, 9, 5)")


@graded("sample_next_token", points=1)
def test_sample_next_token_operation_count(impl, gen):
    """2 and 40 rows with top_k and top_p: the same number of torch calls"""
    counts = []
    for B in (2, 40):
        impl.sample_next_token(randn(B, 8, gen=gen), 0.9, top_k=5, top_p=0.8, generator=torch.Generator())
        counts.append(_calls(impl))
    _expect_same(counts, "sample_next_token on 2 and 40 rows")


@graded("sequence_log_prob", points=1)
def test_sequence_log_prob_operation_count(impl, gen):
    """(1, 3) and (5, 9) token ids: the same number of torch calls (the model's own included)"""
    counts = []
    for B, T in ((1, 3), (5, 9)):
        on_model(impl, "sequence_log_prob", prefix_mean_spec(6, 4, gen), torch.randint(0, 6, (B, T), generator=gen), 1)
        counts.append(_calls(impl))
    _expect_same(counts, "sequence_log_prob on (1, 3) and (5, 9)")


@graded("generate", points=1)
def test_generate_operation_count(impl, gen):
    """1 and 6 prompts, 3 new tokens each: the same number of torch calls"""
    counts = []
    for B in (1, 6):
        idx = torch.randint(0, 6, (B, 2), generator=gen)
        on_model(impl, "generate", prefix_mean_spec(6, 4, gen), idx, 3, 4, generator=torch.Generator())
        counts.append(_calls(impl))
    _expect_same(counts, "generate on 1 and 6 prompts")
