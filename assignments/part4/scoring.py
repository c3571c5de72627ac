"""Scoring text with a language model: the log-probability of each token and of a whole continuation.

Follows the chain rule of probability behind every autoregressive model:
p(x_1 .. x_T) = p(x_1) · p(x_2 | x_1) · ... · p(x_T | x_1 .. x_{T-1}), so the
log-probability of a sequence is the sum of its tokens' log-probabilities, each
read from the model's next-token scores one position earlier.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch


def token_log_probs(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """log softmax(logits)[..., target]: how likely the model found each target token.

    Args:
        logits: (..., V) next-token scores.
        targets: (...) int64 token ids, one per row of ``logits``.

    Returns:
        (...) log-probabilities, in the dtype of ``logits``; finite for any finite logits.
    """
    # Hint: torch.log_softmax over the last dimension is stable; pick each row's target with
    # .gather(-1, targets.unsqueeze(-1)) and drop the extra dimension again.
    raise NotImplementedError("token_log_probs")


@torch.no_grad()
def sequence_log_prob(model, idx: torch.Tensor, prompt_len: int) -> torch.Tensor:
    """The total log-probability of the tokens after the prompt, given everything before each of them.

    Args:
        model: a callable from (B, T) int64 ids to (B, T, V) logits.
        idx: (B, T) int64: a prompt of ``prompt_len`` tokens followed by the continuation.
        prompt_len: 1 <= prompt_len < T.

    Returns:
        (B,): sum over t = prompt_len .. T-1 of log p(idx[:, t] | idx[:, :t]), from one call of ``model(idx)``.
    """
    # Hint: call the model once (the decorator turns autograd off). The logits at position t - 1
    # score the token at position t, so pair logits[:, prompt_len - 1 : -1] with idx[:, prompt_len:].
    raise NotImplementedError("sequence_log_prob")
