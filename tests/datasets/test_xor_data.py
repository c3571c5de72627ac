"""Tests for datasets.xor: the exact XOR table and its noisy version."""

from __future__ import annotations

import torch

from datasets import noisy_xor, xor_dataset


def test_xor_dataset_labels_are_x1_xor_x2() -> None:
    X, y = xor_dataset()
    assert X.shape == (4, 2) and X.dtype == torch.float32
    assert y.shape == (4,) and y.dtype == torch.int64
    expected = X[:, 0].long() ^ X[:, 1].long()  # (4,)
    assert torch.equal(y, expected)
    assert {tuple(row) for row in X.tolist()} == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_xor_dataset_respects_dtype() -> None:
    X, y = xor_dataset(dtype=torch.float64)
    assert X.dtype == torch.float64 and y.dtype == torch.int64


def test_slide_feature_map_makes_xor_linearly_separable() -> None:
    # phi(x1, x2) = [x1 + x2, x1 * x2]; then x1 + x2 - 2 * x1 * x2 == XOR,
    # a linear function of phi, so a threshold at 0.5 separates the classes.
    X, y = xor_dataset()
    phi = torch.stack([X[:, 0] + X[:, 1], X[:, 0] * X[:, 1]], dim=1)  # (4, 2)
    score = phi @ torch.tensor([1.0, -2.0])  # (4,)
    assert torch.equal((score > 0.5).long(), y)


def test_noisy_xor_is_reproducible_with_a_generator() -> None:
    X1, y1 = noisy_xor(64, generator=torch.Generator().manual_seed(3))
    X2, y2 = noisy_xor(64, generator=torch.Generator().manual_seed(3))
    X3, _ = noisy_xor(64, generator=torch.Generator().manual_seed(4))
    assert torch.equal(X1, X2) and torch.equal(y1, y2)
    assert not torch.equal(X1, X3)


def test_noisy_xor_shapes_dtypes_and_labels_follow_nearest_corner() -> None:
    X, y = noisy_xor(500, noise=0.1, generator=torch.Generator().manual_seed(0))
    assert X.shape == (500, 2) and X.dtype == torch.float32
    assert y.shape == (500,) and y.dtype == torch.int64
    # With std 0.1 a point essentially never crosses the 0.5 midlines.
    nearest_corner = (X > 0.5).long()  # (500, 2)
    assert torch.equal(y, nearest_corner[:, 0] ^ nearest_corner[:, 1])
    assert 0.4 < y.float().mean().item() < 0.6


def test_noisy_xor_with_zero_noise_lands_on_corners() -> None:
    X, y = noisy_xor(20, noise=0.0, generator=torch.Generator().manual_seed(1))
    assert set(X.flatten().tolist()) <= {0.0, 1.0}
    assert torch.equal(y, X[:, 0].long() ^ X[:, 1].long())
