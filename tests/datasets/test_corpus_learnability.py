"""The learnability claims behind the corpora, checked by actually training.

Sentiment: one neuron on binary bag-of-words does well but not perfectly.
Negation: the same linear model stays near chance (the XOR structure of
"not good"), while one hidden layer recovers the labels.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from datasets import load_negation, load_sentiment
from datasets.corpus import BagOfWordsSplits


def _train_full_batch(model: nn.Module, X: Tensor, y: Tensor, steps: int, lr: float) -> nn.Module:
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-3)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X), y)  # logits (n, 2)
        loss.backward()
        optimizer.step()
    return model


def _held_out_accuracy(model: nn.Module, data: BagOfWordsSplits) -> float:
    with torch.no_grad():
        predictions = model(data.X_test).argmax(dim=1)  # (n_test,)
    return (predictions == data.y_test).float().mean().item()


def _fit_logistic_regression(data: BagOfWordsSplits) -> nn.Module:
    # fork_rng keeps the seeding local to this test.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = nn.Linear(data.X_train.shape[1], 2)
        return _train_full_batch(model, data.X_train, data.y_train, 300, 0.05)


def test_logistic_regression_on_sentiment_is_good_but_not_perfect() -> None:
    data = load_sentiment(seed=0)
    accuracy = _held_out_accuracy(_fit_logistic_regression(data), data)
    assert 0.85 <= accuracy <= 0.95, accuracy


def test_logistic_regression_on_negation_stays_near_chance() -> None:
    data = load_negation(seed=0)
    accuracy = _held_out_accuracy(_fit_logistic_regression(data), data)
    assert accuracy <= 0.70, accuracy


def test_small_mlp_on_negation_learns_the_flip() -> None:
    data = load_negation(seed=0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(data.X_train.shape[1], 32), nn.ReLU(), nn.Linear(32, 2))
        _train_full_batch(model, data.X_train, data.y_train, 300, 0.01)
    accuracy = _held_out_accuracy(model, data)
    assert accuracy >= 0.90, accuracy
