"""Public tests for train_log_linear (slides: the training loop; section 3: linear models and XOR)."""

import torch

from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_tensor_like
from datasets import xor_dataset


@graded("train_log_linear", points=2)
def test_train_log_linear_returns_weights_and_losses(impl, device, gen):
    """returns W (d, k), b (k,) and one float loss per epoch"""
    X = torch.randn(20, 3, generator=gen).to(device)
    y = (X[:, 0] > 0).long()
    W, b, losses = impl.train_log_linear(X, y, 2, epochs=4, lr=0.5, batch_size=8, generator=gen)
    expect_tensor_like(W, torch.zeros(3, 2, device=device), case="W returned by train_log_linear")
    expect_tensor_like(b, torch.zeros(2, device=device), case="b returned by train_log_linear")
    expect(
        isinstance(losses, list) and len(losses) == 4 and all(isinstance(v, float) for v in losses),
        case="losses returned by train_log_linear(epochs=4)",
        expected="a list of 4 Python floats",
        got=f"{type(losses).__name__} {losses!r}"[:200],
        cause="append loss.item() (mean over the epoch) once per epoch",
    )


@graded("train_log_linear", points=3)
def test_train_log_linear_learns_xor_after_feature_map(impl, device, gen):
    """on XOR mapped by [x1 + x2, x1 * x2], training reaches 100% accuracy"""
    X, y = xor_dataset(device=device)
    phi = torch.stack([X[:, 0] + X[:, 1], X[:, 0] * X[:, 1]], dim=1)  # the slides' map, computed here
    W, b, losses = impl.train_log_linear(phi, y, 2, epochs=100, lr=1.0, batch_size=4, generator=gen)
    predicted = (phi @ W + b).argmax(dim=1)
    expect(
        bool((predicted == y).all()) and losses[-1] < losses[0],
        case="train_log_linear on the XOR points after the feature map",
        expected=f"labels {y.tolist()}, loss going down",
        got=f"labels {predicted.tolist()}, losses {losses[0]:.3f} -> {losses[-1]:.3f}",
        cause="check the sign of the update (p - lr*g), and that W and b are the tensors you update in place",
    )
