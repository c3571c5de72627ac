"""What the Part 2 tests compare an MLP with: the network written out as plain tensor formulas."""

import torch

ACTIVATION = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


def mlp_formula(x: torch.Tensor, params: list[torch.Tensor], activation: str) -> torch.Tensor:
    """Linear, activation, ..., Linear, with no activation on the logits (``params`` is [W1, b1, W2, b2, ...])."""
    h = x
    for i in range(0, len(params), 2):
        h = h @ params[i] + params[i + 1]
        if i + 2 < len(params):
            h = ACTIVATION[activation](h)
    return h
