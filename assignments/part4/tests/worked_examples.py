"""The hand-checkable models of the Part 4 handout: a 3-token bigram table, written as probabilities.

Row a of ``BIGRAM`` is p(next token | current token a); the model's logits are
its logarithms, so every number a test expects can be worked out on paper.
"""

import math

import torch

from autograder.shared.lm_models import bigram_spec

BIGRAM = [
    [0.1, 0.5, 0.4],  # after token 0
    [0.4, 0.3, 0.3],  # after token 1
    [0.9, 0.05, 0.05],  # after token 2
]


def bigram(device: str = "cpu", dtype: torch.dtype = torch.float32, max_len: int | None = None) -> dict:
    """The spec of the handout's bigram model."""
    return bigram_spec(torch.tensor(BIGRAM, dtype=torch.float64).log().to(device=device, dtype=dtype), max_len)


def log(p: float) -> float:
    return math.log(p)
