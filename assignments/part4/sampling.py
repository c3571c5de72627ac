"""Choosing the next token: temperature, top-k and nucleus (top-p) sampling.

Temperature divides the logits before the softmax: below 1 it sharpens the
distribution (T -> 0 is the argmax), above 1 it flattens it (T -> infinity is
uniform). Top-k keeps the k highest-scoring tokens; the nucleus keeps the
fewest most likely tokens whose probabilities reach top_p. Whatever is kept is
renormalised and one token is drawn from it.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

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
    raise NotImplementedError("sample_next_token")
