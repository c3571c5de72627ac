"""Gradients written by hand: cross-entropy with respect to the logits, and the linear layer.

Slides, section 2: "Optimizing with gradient": compute the loss, the gradient of
the loss with respect to every parameter, then move against it. Autograd is not
allowed in Part 1: these are the derivatives it would compute.
"""

import torch

from .probabilities import softmax


def cross_entropy_grad(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Gradient of ``cross_entropy(logits, y)`` with respect to ``logits``.

    Equals (softmax(logits) - one_hot(y)) / n.

    Args:
        logits: shape (n, k).
        y: shape (n,), int64 class indices.

    Returns:
        shape (n, k), same dtype as ``logits``.
    """
    # Hint: build the one-hot matrix by comparing torch.arange(k) with y[:, None];
    # do not forget that the loss is a mean over n samples.
    # BEGIN SOLUTION
    n, k = logits.shape
    one_hot = (torch.arange(k, device=logits.device) == y[:, None]).to(logits.dtype)  # (n, k)
    return (softmax(logits, dim=-1) - one_hot) / n
    # END SOLUTION


def linear_backward(
    x: torch.Tensor, W: torch.Tensor, grad_out: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Backward pass of out = x·W + b.

    Args:
        x: the forward input, shape (n, d_in).
        W: the weights, shape (d_in, d_out).
        grad_out: dLoss/dout, shape (n, d_out).

    Returns:
        (grad_x, grad_W, grad_b) with shapes (n, d_in), (d_in, d_out), (d_out,):
        grad_x = grad_out·Wᵀ, grad_W = xᵀ·grad_out, grad_b = sum of grad_out over the batch.
    """
    # Hint: every gradient has the shape of the thing it is the gradient of;
    # let the shapes tell you which matrices to transpose.
    # BEGIN SOLUTION
    grad_x = grad_out @ W.T  # (n, d_in)
    grad_W = x.T @ grad_out  # (d_in, d_out)
    grad_b = grad_out.sum(dim=0)  # (d_out,)
    return grad_x, grad_W, grad_b
    # END SOLUTION
