"""Perplexity: how surprised a model is by a text, as an "effective number of choices" per token.

It is exp of the mean negative log-likelihood, i.e. exp of the cross-entropy
loss a language model is trained on: a model that spreads its bets evenly over
k tokens has perplexity k. A mask leaves out the positions that do not count
(padding, or the prompt).
"""

import torch

from .scoring import token_log_probs


def perplexity(logits: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """exp(mean negative log-likelihood) of the counted target tokens.

    Args:
        logits: (B, T, V) next-token scores.
        targets: (B, T) int64, the token that followed each position.
        mask: optional (B, T) bool, ``True`` where a token counts; every token counts without it.

    Returns:
        0-dim tensor in the dtype of ``logits``.
    """
    # Hint: the negative of token_log_probs is each token's loss. With a mask, average only
    # the counted positions: put 0 elsewhere (torch.where) and divide by the number counted.
    # The exponential comes last, in natural-log units (not base 2).
    # BEGIN SOLUTION
    nll = -token_log_probs(logits, targets)  # (B, T)
    if mask is None:
        return nll.mean().exp()
    counted = torch.where(mask, nll, torch.zeros_like(nll))  # (B, T): 0 where a token does not count
    return (counted.sum() / mask.sum()).exp()
    # END SOLUTION
