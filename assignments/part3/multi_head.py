"""Multi-head attention: several attention patterns side by side, each in its own slice of the features.

Slides, section 6: "The Transformer, at a glance". The model dimension d_model
is cut into n_heads slices of d_head = d_model // n_heads features; head h uses
slice [h * d_head, (h + 1) * d_head) of the query, key and value projections, as
``torch.nn.MultiheadAttention`` does, so the heads run as one batched matrix product.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch
from torch import nn

from .attention import scaled_dot_product_attention


class MultiHeadAttention(nn.Module):
    """Self-attention (``context=None``) or cross-attention (keys and values from ``context``).

    Attributes:
        n_heads: number of heads.
        d_head: features per head, d_model // n_heads.
        q_proj, k_proj, v_proj, out_proj: ``nn.Linear(d_model, d_model)`` with bias.
    """

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        # Hint: check that n_heads divides d_model, store n_heads and d_head, and create
        # the four nn.Linear(d_model, d_model) layers under exactly these names.
        raise NotImplementedError("__init__")

    def forward(
        self, x: torch.Tensor, context: torch.Tensor | None = None, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Attend from every position of ``x`` to every (allowed) position of ``context``.

        Args:
            x: (B, T, d_model), where the queries come from.
            context: (B, S, d_model), where keys and values come from; ``x`` when None.
            mask: optional boolean, broadcastable to (B, n_heads, T, S), ``True`` where allowed.

        Returns:
            (B, T, d_model).
        """
        # Hint: project, then reshape (B, T, d_model) -> (B, T, n_heads, d_head) and
        # transpose to (B, n_heads, T, d_head) so that one call of your attention handles
        # every head at once; undo the transpose and reshape before out_proj.
        raise NotImplementedError("forward")
