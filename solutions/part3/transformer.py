"""The Transformer block: attention to mix positions, a feed-forward network to transform each one.

Slides, section 6: "The Transformer, at a glance". We use the pre-norm
arrangement of modern decoder-only models (GPT-2 and later): each sub-layer sees
a normalised copy of the residual stream and adds its result back to it.
"""

import torch
from torch import nn

from .layer_norm import LayerNorm  # noqa: F401 (the stub imports what you will use)
from .multi_head import MultiHeadAttention  # noqa: F401


class FeedForward(nn.Module):
    """The position-wise network: fc2(relu(fc1(x))), applied to every position independently.

    Attributes:
        fc1: ``nn.Linear(d_model, d_ff)``.
        fc2: ``nn.Linear(d_ff, d_model)``.
    """

    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        # Hint: two nn.Linear layers named fc1 and fc2.
        # BEGIN SOLUTION
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(..., d_model) -> (..., d_model)."""
        # Hint: widen with fc1, apply torch.relu, narrow back with fc2.
        # BEGIN SOLUTION
        return self.fc2(torch.relu(self.fc1(x)))  # (..., d_ff) inside
        # END SOLUTION


class TransformerBlock(nn.Module):
    """One pre-norm block: x + attn(ln1(x)), then + ff(ln2(·)).

    Attributes:
        ln1, ln2: ``LayerNorm(d_model)``.
        attn: ``MultiHeadAttention(d_model, n_heads)``.
        ff: ``FeedForward(d_model, d_ff)``.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0):
        super().__init__()
        # Hint: create ln1, attn, ln2 and ff under exactly these names (dropout has no
        # parameters, so an nn.Dropout does not change the state_dict).
        # BEGIN SOLUTION
        self.ln1 = LayerNorm(d_model)
        self.attn = MultiHeadAttention(d_model, n_heads)
        self.ln2 = LayerNorm(d_model)
        self.ff = FeedForward(d_model, d_ff)
        self.dropout = nn.Dropout(dropout)
        # END SOLUTION

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, T, d_model) -> (B, T, d_model); ``mask`` goes to the attention unchanged."""
        # Hint: normalise first, run the sub-layer, then add its output to the
        # un-normalised x (the residual connection); twice.
        # BEGIN SOLUTION
        x = x + self.dropout(self.attn(self.ln1(x), mask=mask))  # (B, T, d_model)
        x = x + self.dropout(self.ff(self.ln2(x)))  # (B, T, d_model)
        return x
        # END SOLUTION
