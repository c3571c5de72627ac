"""Choosing the next token: temperature, top-k and nucleus (top-p) sampling.

Temperature divides the logits before the softmax: below 1 it sharpens the
distribution (T -> 0 is the argmax), above 1 it flattens it (T -> infinity is
uniform). Top-k keeps the k highest-scoring tokens; the nucleus keeps the
fewest most likely tokens whose probabilities reach top_p. Whatever is kept is
renormalised and one token is drawn from it.
"""

import torch


def sample_next_token(
    logits: torch.Tensor,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """One token per row, drawn from softmax(logits / temperature) restricted to top-k, then to the nucleus.

    Args:
        logits: (B, V) next-token scores.
        temperature: 0 means the argmax (no randomness); otherwise a positive divisor of the logits.
        top_k: keep only the ``top_k`` highest-scoring tokens of each row.
        top_p: then keep only the fewest most likely tokens whose probabilities sum to at least ``top_p``.
        generator: the only source of randomness.

    Returns:
        (B,) int64 token ids.
    """
    # Hint: temperature 0 is logits.argmax(-1). Otherwise scale the logits, and give -inf to
    # what is left out: for top-k, everything but torch.topk's indices; for top-p, sort the
    # probabilities (torch.sort, descending), take torch.cumsum, and drop a token when the
    # tokens before it already reach top_p (the first one always stays). Finish with
    # torch.multinomial(torch.softmax(...), 1, generator=generator).
    # BEGIN SOLUTION
    if temperature == 0:
        return logits.argmax(dim=-1)  # (B,)
    work = logits if logits.element_size() >= 4 else logits.float()  # half precision is too coarse to sample
    scaled = work / temperature  # (B, V)
    if top_k is not None and top_k < scaled.shape[-1]:
        keep = torch.zeros_like(scaled, dtype=torch.bool).scatter(-1, scaled.topk(top_k, dim=-1).indices, True)
        scaled = scaled.masked_fill(~keep, float("-inf"))
    if top_p is not None:
        probs, order = torch.sort(torch.softmax(scaled, dim=-1), dim=-1, descending=True)  # (B, V)
        before = torch.cumsum(probs, dim=-1) - probs  # (B, V): mass of the more likely tokens
        drop_sorted = before >= top_p
        drop_sorted[..., 0] = False  # the nucleus is never empty
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)  # back to vocabulary order
        scaled = scaled.masked_fill(drop, float("-inf"))
    probs = torch.softmax(scaled, dim=-1)  # (B, V), renormalised over what is kept
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)  # (B,)
    # END SOLUTION
