"""Multiple choice with a language model: score each answer as a continuation of the question.

The model's answer is the option with the highest log-probability after the
prompt. Totals favour short options (every token multiplies in a probability
below one), so they are usually divided by the option's length.
"""

import torch
from torch.nn.utils.rnn import pad_sequence

from .scoring import token_log_probs


@torch.no_grad()
def score_options(
    model, prompt: torch.Tensor, options: list[torch.Tensor], length_normalize: bool = True
) -> torch.Tensor:
    """The log-probability of each option after the prompt, per token when ``length_normalize``.

    Args:
        model: a callable from (B, T) int64 ids to (B, T, V) logits.
        prompt: (T_p,) int64, T_p >= 1.
        options: K non-empty 1-D int64 tensors, of any lengths.
        length_normalize: divide each total by its option's length.

    Returns:
        (K,) scores; ``argmax`` is the model's answer.
    """
    # Hint: pad the options to one (K, L) tensor (any padding token will do: a causal model
    # never looks ahead), put the prompt in front of every row, call the model once, and
    # add up token_log_probs only over each option's own positions (a mask from the lengths).
    # BEGIN SOLUTION
    K, T_p = len(options), prompt.shape[0]
    lengths = torch.tensor([len(option) for option in options], device=prompt.device)  # (K,)
    padded = pad_sequence(list(options), batch_first=True)  # (K, L)
    idx = torch.cat([prompt.expand(K, T_p), padded], dim=1)  # (K, T_p + L)
    logits = model(idx)  # (K, T_p + L, V)
    scored = token_log_probs(logits[:, T_p - 1 : -1], padded)  # (K, L): log p of each option token
    counted = torch.arange(padded.shape[1], device=prompt.device) < lengths[:, None]  # (K, L)
    totals = torch.where(counted, scored, torch.zeros_like(scored)).sum(dim=-1)  # (K,)
    return totals / lengths.to(totals.dtype) if length_normalize else totals
    # END SOLUTION
