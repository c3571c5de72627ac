"""Random training windows from one long stream of token ids.

A language model trains on (input, target) pairs where the target is the input
shifted by one token. Drawing the starts uniformly from a seeded generator makes
every batch reproducible.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch


def get_batch(
    data: torch.Tensor, batch_size: int, context_len: int, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """``batch_size`` random windows of ``data`` (1-D int64) -> ``(x, y)``, each (batch_size, context_len).

    For a start s: x = data[s : s + context_len], y = data[s + 1 : s + context_len + 1]; every start
    with room for y is equally likely. Both live on ``data``'s device.
    """
    # Hint: the valid starts are 0 .. len(data) - context_len - 1; torch.randint with the generator
    # (it lives on the CPU: draw there, then move); index data with starts[:, None] + torch.arange(...).
    raise NotImplementedError("get_batch")
