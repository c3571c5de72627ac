"""A LLaMA-style language model, and greedy generation with a KV cache.

No position embedding: every attention layer rotates its queries and keys
instead. Generation runs the prompt once, then feeds one token per step while
each layer's cache supplies the keys and values of everything before it: each
new token costs work proportional to the length so far, not to its square.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch
from torch import nn

from .modern_block import ModernBlock
from .rms_norm import RMSNorm


class ModernLM(nn.Module):
    """Next-token scores for a batch of token sequences, continuing an optional cache.

    Attributes:
        tok_emb: ``nn.Embedding(vocab_size, d_model)``.
        blocks: ``nn.ModuleList`` of ``n_layers`` ``ModernBlock``.
        norm: final ``RMSNorm(d_model)``.
        head: ``nn.Linear(d_model, vocab_size, bias=False)``.
    """

    def __init__(
        self,
        vocab_size: int,
        d_model: int,
        n_layers: int,
        n_heads: int,
        n_kv_heads: int,
        d_ff: int,
        window: int | None = None,
        theta: float = 10000.0,
    ):
        super().__init__()
        # Hint: tok_emb, blocks (an nn.ModuleList), norm and head under exactly these names.
        raise NotImplementedError("__init__")

    def forward(self, idx: torch.Tensor, past_kvs=None) -> tuple[torch.Tensor, list]:
        """``idx`` (B, T) int64 continuing the cached sequence -> ``(logits, present_kvs)``.

        logits (B, T, vocab_size); present_kvs a list of one (k, v) per block.
        """
        # Hint: embed, then block i gets past_kvs[i] (or None) and returns its present_kv.
        raise NotImplementedError("forward")

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
        """Greedy continuation of ``idx`` (B, T) by ``max_new_tokens`` tokens -> (B, T + max_new_tokens).

        One forward over the prompt, then one forward of one token per new token, using the cache.
        """
        # Hint: logits, kvs = self(idx); then repeat: argmax of the last position's logits (keepdim),
        # append it to idx, and run only that (B, 1) token with the cache.
        raise NotImplementedError("generate")
