"""One block of the modern decoder: pre-norm with RMSNorm, grouped-query attention, a SwiGLU feed-forward.

The shape of Part 3's TransformerBlock with the LLaMA parts swapped in, and the
attention's KV cache passed through.
"""

import torch
from torch import nn

from .gqa import GroupedQueryAttention
from .rms_norm import RMSNorm
from .swiglu import SwiGLU


class ModernBlock(nn.Module):
    """h = x + attn(attn_norm(x)); y = h + ffn(ffn_norm(h)).

    Attributes:
        attn_norm, ffn_norm: ``RMSNorm(d_model)``.
        attn: ``GroupedQueryAttention(d_model, n_heads, n_kv_heads, window, theta)``.
        ffn: ``SwiGLU(d_model, d_ff)``.
    """

    def __init__(
        self, d_model: int, n_heads: int, n_kv_heads: int, d_ff: int, window: int | None = None, theta: float = 10000.0
    ):
        super().__init__()
        # Hint: the four submodules, under exactly these names.
        # BEGIN SOLUTION
        self.attn_norm = RMSNorm(d_model)
        self.attn = GroupedQueryAttention(d_model, n_heads, n_kv_heads, window, theta)
        self.ffn_norm = RMSNorm(d_model)
        self.ffn = SwiGLU(d_model, d_ff)
        # END SOLUTION

    def forward(self, x: torch.Tensor, past_kv=None) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """``x`` (B, T, d_model) -> ``(y, present_kv)``, y (B, T, d_model); the cache goes through attn."""
        # Hint: attn returns (out, present_kv): add out to x, keep present_kv to return.
        # BEGIN SOLUTION
        attended, present_kv = self.attn(self.attn_norm(x), past_kv)  # (B, T, d_model)
        h = x + attended
        return h + self.ffn(self.ffn_norm(h)), present_kv
        # END SOLUTION
