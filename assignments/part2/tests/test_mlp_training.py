"""Public tests for train_mlp: what it returns, and the XOR problem solved by a hidden layer (slides, section 4)."""

import torch

from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect
from datasets import xor_dataset


@graded("train_mlp", points=2)
def test_train_mlp_returns_one_loss_per_epoch(impl, device, gen):
    """returns a list of epochs Python floats that goes down"""
    X = torch.randn(24, 3, generator=gen).to(device)
    y = (X[:, 0] > 0).long()
    model = impl.MLP([3, 8, 2], activation="relu", generator=gen)
    impl.probe("MLP", "assign_parameters", model, [p.to(device) for p in model.parameters()])
    losses = impl.train_mlp(model, X, y, epochs=15, lr=0.5, batch_size=8, generator=gen)
    expect(
        isinstance(losses, list) and len(losses) == 15 and all(isinstance(v, float) for v in losses),
        case="losses returned by train_mlp(epochs=15)",
        expected="a list of 15 Python floats",
        got=f"{type(losses).__name__} {losses!r}"[:200],
        cause="append the epoch's mean loss (a float, e.g. via .item()) once per epoch",
    )
    expect(
        losses[-1] < losses[0],
        case="the first and last epoch losses",
        expected="the loss goes down",
        got=f"{losses[0]:.4f} -> {losses[-1]:.4f}",
        cause="step against the gradient (p -= lr * g) on the tensors parameters() returns",
    )


@graded("train_mlp", points=3)
def test_train_mlp_solves_xor(impl, device, gen):
    """a [2, 4, 2] tanh MLP classifies all four XOR points"""
    X, y = xor_dataset(device=device)
    model = impl.MLP([2, 4, 2], activation="tanh", generator=gen)
    impl.probe("MLP", "assign_parameters", model, [p.to(device) for p in model.parameters()])
    losses = impl.train_mlp(model, X, y, epochs=150, lr=1.0, batch_size=4, generator=gen)
    predicted = model.forward(X).argmax(dim=1)
    expect(
        bool((predicted == y).all()),
        case="MLP([2, 4, 2], 'tanh') after train_mlp(epochs=150, lr=1.0, batch_size=4) on XOR",
        expected=f"labels {y.tolist()}",
        got=f"labels {predicted.tolist()}, losses {losses[0]:.3f} -> {losses[-1]:.3f}",
        cause="cross-entropy gradient (softmax - one_hot) / B, model.backward, then an in-place SGD step",
    )
