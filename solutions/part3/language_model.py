"""A decoder-only Transformer language model (a tiny GPT) and greedy generation.

Slides, section 6: masked decoder self-attention ("each position can attend to
all previous positions up to that point"), the kind of model behind the GPT
family. Tokens and positions are embedded and added, a stack of blocks mixes
them under a causal mask, and a linear head scores the next token at every position.
"""

import torch
from torch import nn

from .attention import causal_mask
from .layer_norm import LayerNorm
from .transformer import TransformerBlock


class TransformerLM(nn.Module):
    """Next-token scores for every position of a batch of token sequences.

    Attributes:
        tok_emb: ``nn.Embedding(vocab_size, d_model)``.
        pos_emb: ``nn.Embedding(max_len, d_model)``, learned positions.
        blocks: ``nn.ModuleList`` of ``n_layers`` ``TransformerBlock``.
        ln_f: final ``LayerNorm(d_model)``.
        head: ``nn.Linear(d_model, vocab_size, bias=False)``.
    """

    def __init__(
        self,
        vocab_size: int,
        d_model: int,
        n_heads: int,
        d_ff: int,
        n_layers: int,
        max_len: int,
        dropout: float = 0.0,
    ):
        super().__init__()
        # Hint: keep max_len for generate; create tok_emb, pos_emb, blocks (an
        # nn.ModuleList), ln_f and head under exactly these names.
        # BEGIN SOLUTION
        self.max_len = max_len
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(n_layers))
        self.ln_f = LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        # END SOLUTION

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        """``idx`` (B, T) int64 with T <= max_len -> logits (B, T, vocab_size), causal.

        The logits at position t depend only on tokens 0..t.
        """
        # Hint: token embeddings plus position embeddings of torch.arange(T); every block
        # gets the same causal_mask(T); finish with ln_f and head.
        # BEGIN SOLUTION
        B, T = idx.shape
        positions = torch.arange(T, device=idx.device)  # (T,)
        x = self.dropout(self.tok_emb(idx) + self.pos_emb(positions))  # (B, T, d_model)
        mask = causal_mask(T, device=idx.device)  # (T, T)
        for block in self.blocks:
            x = block(x, mask=mask)  # (B, T, d_model)
        return self.head(self.ln_f(x))  # (B, T, vocab_size)
        # END SOLUTION

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
        """Greedy continuation: append the most likely next token, ``max_new_tokens`` times.

        Each step looks at no more than the last ``max_len`` tokens.

        Args:
            idx: (B, T) int64 prompt.
            max_new_tokens: how many tokens to add.

        Returns:
            (B, T + max_new_tokens) int64: the prompt followed by the new tokens.
        """
        # Hint: loop over the new tokens (only there is a Python loop fine): crop to the
        # last max_len tokens, run the model, take the argmax of the LAST position's logits,
        # and torch.cat it to idx.
        # BEGIN SOLUTION
        for _ in range(max_new_tokens):
            window = idx[:, -self.max_len :]  # (B, <= max_len)
            logits = self(window)[:, -1, :]  # (B, vocab_size): scores for the next token
            next_token = logits.argmax(dim=-1, keepdim=True)  # (B, 1)
            idx = torch.cat([idx, next_token], dim=1)  # (B, T + 1)
        return idx
        # END SOLUTION
