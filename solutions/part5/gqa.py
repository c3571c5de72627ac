"""Grouped-query attention with rotary positions, an optional sliding window and a KV cache.

Ainslie et al. (2023) for the grouping, Mistral 7B for the window. Several query
heads share one key/value head, so the cache a generating model keeps shrinks by
n_heads / n_kv_heads. The cache holds the keys (already rotated) and values of
every earlier position: a new token needs only its own projections, not the
whole prefix again.
"""

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
        # BEGIN SOLUTION
        self.n_heads, self.n_kv_heads = n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.window, self.theta = window, theta
        self.q_proj = nn.Linear(d_model, d_model, bias=False)
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.o_proj = nn.Linear(d_model, d_model, bias=False)
        # END SOLUTION

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
        # BEGIN SOLUTION
        B, T, d_model = x.shape
        t_past = 0 if past_kv is None else past_kv[0].shape[2]
        q = self.q_proj(x).view(B, T, self.n_heads, self.d_head).transpose(1, 2)  # (B, H, T, d_head)
        k = self.k_proj(x).view(B, T, self.n_kv_heads, self.d_head).transpose(1, 2)  # (B, H_kv, T, d_head)
        v = self.v_proj(x).view(B, T, self.n_kv_heads, self.d_head).transpose(1, 2)  # (B, H_kv, T, d_head)
        positions = torch.arange(t_past, t_past + T, device=x.device)  # (T,)
        q, k = rope(q, positions, self.theta), rope(k, positions, self.theta)
        if past_kv is not None:
            k = torch.cat([past_kv[0], k], dim=2)  # (B, H_kv, T_past + T, d_head)
            v = torch.cat([past_kv[1], v], dim=2)
        group = self.n_heads // self.n_kv_heads
        keys = k.repeat_interleave(group, dim=1)  # (B, H, T_total, d_head)
        values = v.repeat_interleave(group, dim=1)
        scores = q @ keys.transpose(-2, -1) / math.sqrt(self.d_head)  # (B, H, T, T_total)
        mask = sliding_window_mask(t_past + T, self.window, device=x.device)[t_past:]  # (T, T_total)
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        out = (weights @ values).transpose(1, 2).reshape(B, T, d_model)  # (B, T, d_model)
        return self.o_proj(out), (k, v)
        # END SOLUTION
