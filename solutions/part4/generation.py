"""Generating text: call the model, sample the next token, append it, repeat.

Each step sees at most the last ``max_len`` tokens (the model's context window)
and uses only the logits of the last position: they score the token that comes next.
"""

import torch

from .sampling import sample_next_token


@torch.no_grad()
def generate(
    model,
    idx: torch.Tensor,
    max_new_tokens: int,
    max_len: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Continue every row of ``idx`` by ``max_new_tokens`` sampled tokens.

    Args:
        model: a callable from (B, T) int64 ids to (B, T, V) logits.
        idx: (B, T) int64 prompts.
        max_new_tokens: how many tokens to append.
        max_len: the model sees at most this many of the latest tokens.
        temperature, top_k, top_p, generator: as in ``sample_next_token``.

    Returns:
        (B, T + max_new_tokens) int64: the prompts followed by the new tokens.
    """
    # Hint: one loop over the new tokens; in each step crop to idx[:, -max_len:], call the
    # model, hand logits[:, -1, :] to your sample_next_token and
    # torch.cat the (B, 1) result to idx.
    # BEGIN SOLUTION
    for _ in range(max_new_tokens):
        logits = model(idx[:, -max_len:])[:, -1, :]  # (B, V): scores for the next token
        next_token = sample_next_token(logits, temperature, top_k, top_p, generator)  # (B,)
        idx = torch.cat([idx, next_token[:, None]], dim=1)  # (B, T + 1)
    return idx
    # END SOLUTION
