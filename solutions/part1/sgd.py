"""One step of (mini-batch) stochastic gradient descent, with weight decay.

Slides, section 2: "Optimizing with gradient": move the parameters in the
opposite direction of the gradient; the regulariser lambda·R(theta) with
R = ||theta||^2 / 2 adds lambda·theta to every gradient (weight decay).
"""

from collections.abc import Sequence

import torch


def sgd_step(
    params: Sequence[torch.Tensor],
    grads: Sequence[torch.Tensor],
    lr: float,
    weight_decay: float = 0.0,
) -> None:
    """Update every parameter in place: p <- p - lr * (g + weight_decay * p).

    Args:
        params: the parameter tensors, updated in place (the caller keeps them).
        grads: one gradient per parameter, same shapes, in the same order.
        lr: the learning rate.
        weight_decay: the L2 regularisation strength lambda.

    Returns:
        None: the point is the side effect on ``params``.
    """
    # Hint: in-place operations (p -= ..., p.sub_(...)) change the tensor the
    # caller holds; p = p - ... would only rebind a local name.
    # BEGIN SOLUTION
    for param, grad in zip(params, grads, strict=True):
        param -= lr * (grad + weight_decay * param)
    # END SOLUTION
