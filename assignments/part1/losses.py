"""Loss functions: how far the model's predictions are from the gold labels.

Slides, section 2: "How do you choose a loss function?": squared error for
regression, hinge (max margin) and cross-entropy for classification. Every loss
here returns a 0-dim tensor, the mean over the batch.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

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
    raise NotImplementedError("mse_loss")


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
    raise NotImplementedError("hinge_loss")


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
    raise NotImplementedError("multiclass_hinge_loss")


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
    raise NotImplementedError("binary_cross_entropy")


def cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy loss: mean over i of -log softmax(logits_i)[y_i].

    Args:
        logits: shape (n, k).
        y: shape (n,), int64 class indices.

    Returns:
        a 0-dim tensor; stable for large logits.
    """
    # Hint: use your log_softmax, then pick each row's gold entry by indexing.
    raise NotImplementedError("cross_entropy")
