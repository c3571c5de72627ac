"""Squashing scores into probabilities: the sigmoid, softmax and log-softmax.

Slides, section 2: "Log-linear classification" (sigmoid, eq. 3) and the softmax
(eqs. 5-6), with the worked example softmax([0.4, 0.1, 0.9, 0.5]) = [0.22, 0.16, 0.37, 0.25].
"""

import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """The logistic function 1 / (1 + e^-z), elementwise.

    Must stay finite and correct for any finite z, including z = +-1e4.

    Args:
        z: any shape.

    Returns:
        values in [0, 1], same shape and dtype as ``z``.
    """
    # Hint: e^-z overflows for very negative z; compute with e^-|z| and pick the
    # algebraically equal form that fits the sign of z.
    # BEGIN SOLUTION
    e = torch.exp(-z.abs())  # in (0, 1]: never overflows
    return torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    # END SOLUTION


def softmax(z: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Turn scores into a probability distribution along ``dim``.

    softmax(z)_i = e^{z_i} / sum_j e^{z_j}. Numerically stable: large scores do
    not overflow, and entries equal to -inf get probability exactly 0.

    Args:
        z: any shape.
        dim: the dimension that sums to 1.

    Returns:
        probabilities, same shape and dtype as ``z``.
    """
    # Hint: softmax does not change when you subtract the same number from every
    # score, so subtract the maximum along dim before exponentiating.
    # BEGIN SOLUTION
    shifted = z - z.amax(dim=dim, keepdim=True)  # largest entry is now 0
    exp = torch.exp(shifted)
    return exp / exp.sum(dim=dim, keepdim=True)
    # END SOLUTION


def log_softmax(z: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """The logarithm of ``softmax(z, dim)``, computed without ever taking log(0).

    log softmax(z)_i = z_i - log sum_j e^{z_j}.

    Args:
        z: any shape.
        dim: the dimension along which the probabilities sum to 1.

    Returns:
        log-probabilities (all <= 0), same shape and dtype as ``z``.
    """
    # Hint: log(softmax) underflows to -inf for very unlikely classes; instead use
    # z_i - m - log(sum_j e^{z_j - m}) with m the maximum along dim.
    # BEGIN SOLUTION
    shifted = z - z.amax(dim=dim, keepdim=True)
    return shifted - torch.log(torch.exp(shifted).sum(dim=dim, keepdim=True))
    # END SOLUTION
