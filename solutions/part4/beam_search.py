"""Beam search: keep the few best partial continuations instead of only the best one.

Greedy decoding commits to the most likely token at every step; a continuation
whose first token is slightly less likely but whose later tokens are much more
likely is lost. Beam search keeps ``beam_width`` candidates ranked by their
total log-probability, extends each by every token, and keeps the best again.
It is a search for a likely sequence, not a sample: it has no randomness.
"""

import torch


@torch.no_grad()
def beam_search(model, idx: torch.Tensor, max_new_tokens: int, beam_width: int, max_len: int) -> torch.Tensor:
    """The most likely continuation that a beam of ``beam_width`` candidates finds.

    Args:
        model: a callable from (B, T) int64 ids to (B, T, V) logits.
        idx: (1, T) int64 prompt.
        max_new_tokens: how many tokens to append.
        beam_width: how many candidates survive each step; 1 is greedy decoding.
        max_len: the model sees at most this many of the latest tokens.

    Returns:
        (1, T + max_new_tokens) int64: the prompt and the best continuation found.
    """
    # Hint: keep beams (n, T') and their scores (n,). Each step: one model call on all beams
    # (cropped to max_len), log_softmax of the last position, add each beam's score to get an
    # (n, V) table of totals, flatten it and keep the topk (at most n * V of them); the flat
    # index i is beam i // V extended by token i % V.
    # BEGIN SOLUTION
    beams = idx  # (n, T'), n = 1 at the start
    scores = torch.zeros(1, device=idx.device)  # (n,) total log-probability of each beam
    for _ in range(max_new_tokens):
        logits = model(beams[:, -max_len:])[:, -1, :]  # (n, V), all beams in one call
        totals = scores.to(logits.dtype)[:, None] + torch.log_softmax(logits, dim=-1)  # (n, V)
        V = totals.shape[-1]
        best = totals.reshape(-1).topk(min(beam_width, totals.numel()))  # sorted, best first
        beams = torch.cat([beams[best.indices // V], (best.indices % V)[:, None]], dim=1)  # (n', T' + 1)
        scores = best.values  # (n',)
    return beams[:1]
    # END SOLUTION
