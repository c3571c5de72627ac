"""A LLaMA-style language model, and greedy generation with a KV cache.

No position embedding: every attention layer rotates its queries and keys
instead. Generation runs the prompt once, then feeds one token per step while
each layer's cache supplies the keys and values of everything before it: each
new token costs work proportional to the length so far, not to its square.
"""

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
        # BEGIN SOLUTION
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList(
            ModernBlock(d_model, n_heads, n_kv_heads, d_ff, window, theta) for _ in range(n_layers)
        )
        self.norm = RMSNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        # END SOLUTION

    def forward(self, idx: torch.Tensor, past_kvs=None) -> tuple[torch.Tensor, list]:
        """``idx`` (B, T) int64 continuing the cached sequence -> ``(logits, present_kvs)``.

        logits (B, T, vocab_size); present_kvs a list of one (k, v) per block.
        """
        # Hint: embed, then block i gets past_kvs[i] (or None) and returns its present_kv.
        # BEGIN SOLUTION
        x = self.tok_emb(idx)  # (B, T, d_model)
        present_kvs = []
        for i, block in enumerate(self.blocks):
            x, kv = block(x, None if past_kvs is None else past_kvs[i])  # (B, T, d_model)
            present_kvs.append(kv)
        return self.head(self.norm(x)), present_kvs  # (B, T, vocab_size)
        # END SOLUTION

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
        """Greedy continuation of ``idx`` (B, T) by ``max_new_tokens`` tokens -> (B, T + max_new_tokens).

        One forward over the prompt, then one forward of one token per new token, using the cache.
        """
        # Hint: logits, kvs = self(idx); then repeat: argmax of the last position's logits (keepdim),
        # append it to idx, and run only that (B, 1) token with the cache.
        # BEGIN SOLUTION
        if max_new_tokens <= 0:
            return idx
        logits, kvs = self(idx)  # (B, T, vocab_size)
        for step in range(max_new_tokens):
            next_token = logits[:, -1, :].argmax(dim=-1, keepdim=True)  # (B, 1)
            idx = torch.cat([idx, next_token], dim=1)
            if step + 1 < max_new_tokens:
                logits, kvs = self(next_token, kvs)  # (B, 1, vocab_size)
        return idx
        # END SOLUTION
