"""Grouped-query attention with rotary positions, an optional sliding window and a KV cache.

Ainslie et al. (2023) for the grouping, Mistral 7B for the window. Several query
heads share one key/value head, so the cache a generating model keeps shrinks by
n_heads / n_kv_heads. The cache holds the keys (already rotated) and values of
every earlier position: a new token needs only its own projections, not the
whole prefix again.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import math

import torch
from torch import nn

from .masks import sliding_window_mask
from .rope import rope


class GroupedQueryAttention(nn.Module):
    """Causal self-attention in which query head h reads key/value head h // (n_heads // n_kv_heads).

    Attributes:
        n_heads, n_kv_heads: numbers of query heads and of key/value heads.
        d_head: d_model // n_heads.
        window: None, or how many positions (itself included) a query may see.
        theta: RoPE's base.
        q_proj, o_proj: ``nn.Linear(d_model, d_model, bias=False)``.
        k_proj, v_proj: ``nn.Linear(d_model, n_kv_heads * d_head, bias=False)``.
    """

    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int, window: int | None = None, theta: float = 10000.0):
        super().__init__()
        # Hint: store the five settings and d_head; four bias-free nn.Linear under the names above.
        raise NotImplementedError("__init__")

    def forward(
        self, x: torch.Tensor, past_kv: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Attend from the T new positions of ``x`` (B, T, d_model) to every cached and new position.

        Args:
            x: (B, T, d_model), the positions T_past .. T_past + T - 1 of the sequence.
            past_kv: None, or (k, v), each (B, n_kv_heads, T_past, d_head), keys already rotated.

        Returns:
            ``(out, present_kv)``: out (B, T, d_model); present_kv is past_kv with this call's
            rotated keys and values appended along the time axis (dim 2).
        """
        # Hint: project and split heads: (B, T, heads, d_head) -> transpose(1, 2). Rotate q and k
        # with rope at positions T_past + arange(T). Concatenate the cache in front of k and v (the
        # cache stays n_kv_heads wide), then repeat_interleave the kv heads to n_heads for the scores.
        # The mask rows of the new queries: sliding_window_mask(T_past + T, window)[T_past:].
        raise NotImplementedError("forward")
