"""Loss functions: how far the model's predictions are from the gold labels.

Slides, section 2: "How do you choose a loss function?": squared error for
regression, hinge (max margin) and cross-entropy for classification. Every loss
here returns a 0-dim tensor, the mean over the batch.
"""

import torch

from .probabilities import log_softmax


def mse_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error: the mean over all elements of (pred - target)^2.

    Args:
        pred, target: the same shape, any shape.

    Returns:
        a 0-dim tensor.
    """
    # Hint: square the difference, then average over every element.
    # BEGIN SOLUTION
    return ((pred - target) ** 2).mean()
    # END SOLUTION


def hinge_loss(scores: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Binary hinge loss: mean over i of max(0, 1 - y_i * s_i).

    Args:
        scores: shape (n,), the raw scores s.
        y: shape (n,), labels in {-1., +1.}.

    Returns:
        a 0-dim tensor. A point scored on the right side with a margin of at
        least 1 costs nothing.
    """
    # Hint: y * s is positive when the score has the right sign; clamp at zero.
    # BEGIN SOLUTION
    return torch.clamp(1 - y * scores, min=0).mean()
    # END SOLUTION


def multiclass_hinge_loss(scores: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Multi-class hinge loss: mean over i of max(0, 1 + max_{j != y_i} s_ij - s_{i, y_i}).

    Args:
        scores: shape (n, k).
        y: shape (n,), int64 class indices.

    Returns:
        a 0-dim tensor: the best wrong class must trail the gold class by a
        margin of 1 for a sample to cost nothing.
    """
    # Hint: pick each row's gold score with indexing; to find the best *wrong*
    # score, hide the gold entry (e.g. set it to -inf) before taking the max.
    # BEGIN SOLUTION
    n, k = scores.shape
    is_gold = torch.arange(k, device=scores.device) == y[:, None]  # (n, k)
    gold = scores[torch.arange(n, device=scores.device), y]  # (n,)
    best_wrong = scores.masked_fill(is_gold, float("-inf")).amax(dim=1)  # (n,)
    return torch.clamp(1 + best_wrong - gold, min=0).mean()
    # END SOLUTION


def binary_cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of sigmoid(logits) against labels in {0., 1.}.

    Per sample: -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))], averaged over
    the batch; stable for any finite logit (e.g. +-1e4).

    Args:
        logits: shape (n,), the raw scores z.
        y: shape (n,), labels in {0., 1.}.

    Returns:
        a 0-dim tensor.
    """
    # Hint: the per-sample loss simplifies to max(z, 0) - y*z + log(1 + e^-|z|),
    # which never exponentiates a large positive number.
    # BEGIN SOLUTION
    per_sample = torch.clamp(logits, min=0) - y * logits + torch.log1p(torch.exp(-logits.abs()))
    return per_sample.mean()
    # END SOLUTION


def cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy loss: mean over i of -log softmax(logits_i)[y_i].

    Args:
        logits: shape (n, k).
        y: shape (n,), int64 class indices.

    Returns:
        a 0-dim tensor; stable for large logits.
    """
    # Hint: use your log_softmax, then pick each row's gold entry by indexing.
    # BEGIN SOLUTION
    log_probs = log_softmax(logits, dim=-1)  # (n, k)
    rows = torch.arange(logits.shape[0], device=logits.device)
    return -log_probs[rows, y].mean()
    # END SOLUTION
