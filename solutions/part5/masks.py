"""The sliding-window causal mask: each query sees itself and at most window - 1 keys before it.

Mistral 7B (Jiang et al., 2023). With a window w, one layer's attention costs
O(T * w) instead of O(T^2), and the KV cache never needs more than w entries;
stacked layers still pass information from further back, w positions per layer.
"""

import torch


def sliding_window_mask(T: int, window: int | None = None, device=None) -> torch.Tensor:
    """Boolean (T, T): ``True`` where 0 <= i - j < window (query i, key j); causal when ``window`` is None."""
    # Hint: i - j from torch.arange(T)[:, None] - torch.arange(T)[None, :]; keep >= 0 and, with a
    # window, < window.
    # BEGIN SOLUTION
    positions = torch.arange(T, device=device)  # (T,)
    distance = positions[:, None] - positions[None, :]  # (T, T): i - j
    allowed = distance >= 0
    if window is not None:
        allowed = allowed & (distance < window)
    return allowed
    # END SOLUTION
