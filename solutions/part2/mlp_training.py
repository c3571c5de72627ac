"""Training an MLP with mini-batch SGD and the hand-written backward pass.

Slides, section 2: the training loop of "Optimizing with gradient", now around
the multi-layer perceptron of sections 4 and 5: forward to the logits, the
cross-entropy loss, its gradient with respect to the logits, backpropagation
through the network, and an SGD step on every parameter.
"""

import torch

from .mlp import MLP


def train_mlp(
    model: MLP,
    X: torch.Tensor,
    y: torch.Tensor,
    epochs: int = 100,
    lr: float = 0.5,
    batch_size: int = 32,
    weight_decay: float = 0.0,
    generator: torch.Generator | None = None,
) -> list[float]:
    """Fit ``model`` to (X, y) in place by mini-batch SGD on the mean cross-entropy.

    Each epoch visits every sample once, in an order drawn from ``generator``;
    each batch updates every parameter p <- p - lr * (dp + weight_decay * p).

    Args:
        model: an ``MLP`` whose parameters live on X's device, in X's dtype.
        X: inputs, shape (n, d_in).
        y: int64 class indices, shape (n,).
        epochs: passes over the data.
        lr: learning rate.
        batch_size: samples per step (the last batch of an epoch may be smaller).
        weight_decay: L2 strength lambda.
        generator: the only source of randomness (the order of the samples).

    Returns:
        the mean training loss of each epoch (over its samples), a list of Python floats.
    """
    # Hint: per epoch, order = torch.randperm(n, generator=generator); per batch:
    # logits = model.forward(xb); loss = mean of -log_softmax(logits)[i, y_i]
    # (torch.log_softmax / torch.softmax are allowed here); grad_logits =
    # (softmax(logits) - one_hot(yb)) / B; model.backward(grad_logits); then update
    # each tensor of model.parameters() IN PLACE with the matching model.gradients().
    # BEGIN SOLUTION
    n = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(X.device)
        loss_sum = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            xb, yb = X[batch], y[batch]  # (B, d_in), (B,)
            logits = model.forward(xb)  # (B, k)
            log_p = torch.log_softmax(logits, dim=-1)  # (B, k)
            loss_sum += -log_p.gather(1, yb[:, None]).sum().item()
            one_hot = torch.zeros_like(logits).scatter_(1, yb[:, None], 1.0)  # (B, k)
            model.backward((torch.softmax(logits, dim=-1) - one_hot) / len(batch))
            for p, g in zip(model.parameters(), model.gradients(), strict=True):
                p -= lr * (g + weight_decay * p)
        losses.append(loss_sum / n)
    return losses
    # END SOLUTION
