"""Public tests for score_options (a multiple-choice question answered by a language model)."""

import math

import torch

from assignments.part4.tests.lm_oracles import on_model
from assignments.part4.tests.worked_examples import BIGRAM, bigram
from autograder.shared.inputs import tensor
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.tolerances import Depth

PROMPT = [2]
OPTIONS = [[0], [0, 1, 0]]  # log p: log 0.9; log 0.9 + log 0.5 + log 0.4


def _case(device):
    return torch.tensor(PROMPT, device=device), [torch.tensor(o, device=device) for o in OPTIONS]


@graded("score_options", points=3)
def test_score_options_totals_of_options_of_different_lengths(impl, device):
    """after [2], options [0] and [0, 1, 0]: totals log 0.9 and log(0.9 * 0.5 * 0.4)"""
    prompt, options = _case(device)
    got, log = on_model(impl, "score_options", bigram(device), prompt, options, length_normalize=False)
    expected = [math.log(BIGRAM[2][0]), math.log(BIGRAM[2][0] * BIGRAM[0][1] * BIGRAM[1][0])]
    expect_close(
        got,
        tensor(expected, device=device),
        case="total log-probabilities",
        depth=Depth.REDUCTION,
        inputs={"prompt": prompt},
        cause="each option is scored as a continuation of the prompt; padding must not count",
    )
    expect(
        log["calls"] <= len(OPTIONS),
        case="model calls",
        expected=f"at most {len(OPTIONS)} calls",
        got=f"{log['calls']}",
    )


@graded("score_options", points=2)
def test_score_options_divides_by_the_length(impl, device):
    """length_normalize=True divides each total by its option's length (1 and 3 tokens)"""
    prompt, options = _case(device)
    got, _ = on_model(impl, "score_options", bigram(device), prompt, options)
    expected = [math.log(BIGRAM[2][0]), math.log(BIGRAM[2][0] * BIGRAM[0][1] * BIGRAM[1][0]) / 3]
    expect_close(
        got,
        tensor(expected, device=device),
        case="per-token log-probabilities",
        depth=Depth.REDUCTION,
        inputs={"prompt": prompt},
        cause="divide each option's total by its own length, not by the longest option's",
    )
