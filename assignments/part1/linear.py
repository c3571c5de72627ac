"""The linear model f(x) = x·W + b and the two ways to turn its scores into a decision.

Slides, section 2: "Simple linear function", "Output of binary classification"
(the sign of the score) and "Output of multi-class classification" (argmax).
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch


def linear(x: torch.Tensor, W: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Score every input with a linear function.

    Args:
        x: features, shape (..., d_in): any number of leading batch dimensions.
        W: weights, shape (d_in, d_out).
        b: bias, shape (d_out,).

    Returns:
        x·W + b, shape (..., d_out).

    Example (the slides' multi-class classifier): x = [0, 1, 0, 1, 1] with the
    slide's W and b = [0, 0, 1] scores [2, 2, 4].
    """
    # Hint: one matrix product and one addition; broadcasting adds b to every row.
    raise NotImplementedError("linear")


def predict_sign(scores: torch.Tensor) -> torch.Tensor:
    """Binary decision from scores: +1 where the score is >= 0, -1 elsewhere.

    Args:
        scores: any shape, floating dtype.

    Returns:
        a tensor of +1./-1. with the same shape and dtype as ``scores``
        (a score of exactly 0 counts as +1).
    """
    # Hint: torch.where picks between two values by a boolean condition.
    raise NotImplementedError("predict_sign")


def predict_class(scores: torch.Tensor) -> torch.Tensor:
    """Multi-class decision: the index of the highest score.

    Args:
        scores: shape (..., k).

    Returns:
        int64 class indices, shape (...): argmax over the last dimension.
        The slides' scores [2, 2, 4] give class 2 (0-based).
    """
    # Hint: reduce over the last dimension; indices are 0-based.
    raise NotImplementedError("predict_class")
