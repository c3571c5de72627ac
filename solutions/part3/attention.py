"""Scaled dot-product attention and the causal mask.

Slides, section 6: "Applications of attention". One function serves all three
uses the slides list: encoder self-attention (no mask), masked decoder
self-attention (``causal_mask``) and encoder-decoder attention (queries from one
sequence, keys and values from another).
"""

import math

import torch


def scaled_dot_product_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each query takes a weighted average of the values, weighted by how well it matches each key.

    weights = softmax(q · kᵀ / sqrt(d_k)) over the key positions, then output = weights · v.

    Args:
        q: queries (..., T_q, d_k).
        k: keys (..., T_k, d_k).
        v: values (..., T_k, d_v).
        mask: optional boolean tensor broadcastable to (..., T_q, T_k); ``True`` where
            a query may look at a key. Disallowed positions get weight exactly 0.

    Returns:
        ``(output, weights)``: output (..., T_q, d_v), weights (..., T_q, T_k).
    """
    # Hint: scores = q @ k.transpose(-2, -1) divided by sqrt(d_k); put -inf where the
    # mask is False (masked_fill) so that the softmax over the last dimension gives 0 there.
    # BEGIN SOLUTION
    d_k = q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (..., T_q, T_k)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # (..., T_q, T_k), rows sum to 1
    return weights @ v, weights  # (..., T_q, d_v)
    # END SOLUTION


def causal_mask(T: int, device: torch.device | str | None = None) -> torch.Tensor:
    """The mask of a decoder: position t may attend to positions 0..t, never to the future.

    Args:
        T: sequence length.
        device: where to create the mask.

    Returns:
        boolean (T, T), ``True`` on and below the diagonal.
    """
    # Hint: start from a (T, T) boolean tensor of ones and keep its lower triangle (torch.tril).
    # BEGIN SOLUTION
    return torch.ones(T, T, dtype=torch.bool, device=device).tril()  # (T, T)
    # END SOLUTION
