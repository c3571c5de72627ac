"""Multiple choice with a language model: score each answer as a continuation of the question.

The model's answer is the option with the highest log-probability after the
prompt. Totals favour short options (every token multiplies in a probability
below one), so they are usually divided by the option's length.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

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
    raise NotImplementedError("score_options")
