"""Training a log-linear (softmax regression) classifier with mini-batch SGD.

Slides, section 2: the training loop of "Optimizing with gradient": compute the
loss, compute its gradient, step against it, repeat for a number of epochs.
Everything it needs comes from the other Part 1 files.
"""

import torch

from .gradients import cross_entropy_grad, linear_backward
from .linear import linear
from .losses import cross_entropy
from .sgd import sgd_step


def train_log_linear(
    X: torch.Tensor,
    y: torch.Tensor,
    num_classes: int,
    epochs: int = 50,
    lr: float = 0.5,
    batch_size: int = 32,
    weight_decay: float = 0.0,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    """Fit W, b of softmax(X·W + b) to the labels y by mini-batch SGD on cross-entropy.

    Args:
        X: features, shape (n, d).
        y: int64 class indices, shape (n,).
        num_classes: k, the number of classes.
        epochs: passes over the data.
        lr: learning rate.
        batch_size: samples per SGD step (the last batch of an epoch may be smaller).
        weight_decay: L2 strength passed to ``sgd_step``.
        generator: the only source of randomness (the order of the samples).

    Returns:
        (W, b, losses): W (d, k), b (k,) on X's device and dtype, and the mean
        training loss of each epoch as a list of Python floats.
    """
    # Hint: start from zeros (the loss is convex); each epoch, shuffle with
    # torch.randperm(n, generator=generator), then for each batch run
    # linear -> cross_entropy -> cross_entropy_grad -> linear_backward -> sgd_step.
    # BEGIN SOLUTION
    n, d = X.shape
    W = torch.zeros(d, num_classes, dtype=X.dtype, device=X.device)
    b = torch.zeros(num_classes, dtype=X.dtype, device=X.device)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device)
        loss_sum = torch.zeros((), dtype=X.dtype, device=X.device)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            xb, yb = X[batch], y[batch]  # (B, d), (B,)
            logits = linear(xb, W, b)  # (B, k)
            loss_sum += cross_entropy(logits, yb) * len(batch)
            _, grad_W, grad_b = linear_backward(xb, W, cross_entropy_grad(logits, yb))
            sgd_step([W, b], [grad_W, grad_b], lr, weight_decay)
        losses.append(loss_sum.item() / n)
    return W, b, losses
    # END SOLUTION
