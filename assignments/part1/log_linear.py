"""Training a log-linear (softmax regression) classifier with mini-batch SGD.

Slides, section 2: the training loop of "Optimizing with gradient": compute the
loss, compute its gradient, step against it, repeat for a number of epochs.
Everything it needs comes from the other Part 1 files.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

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
    raise NotImplementedError("train_log_linear")
