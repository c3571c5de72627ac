"""The XOR problem, the classic counter-example for linear classifiers.

Follows the slide "Advantages and limitations of linear models": no straight
line separates the corners of the unit square labelled by x1 XOR x2, yet the
hand-made feature map phi(x1, x2) = [x1 + x2, x1 * x2] turns it into a
linearly separable problem. ``xor_dataset`` gives the four exact corners;
``noisy_xor`` gives a cloud of points around them, for when a learner needs
more than four examples to train and evaluate on.
"""

from __future__ import annotations

import torch
from torch import Tensor

# The four corners of {0, 1}^2, in the order (0,0), (0,1), (1,0), (1,1).
_CORNERS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
_CORNER_LABELS = (0, 1, 1, 0)


def xor_dataset(
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> tuple[Tensor, Tensor]:
    """Return the four XOR points and their labels.

    Returns:
        X: (4, 2) tensor of the corners of the unit square.
        y: (4,) int64 class indices, y = x1 XOR x2.
    """
    X = torch.tensor(_CORNERS, dtype=dtype, device=device)  # (4, 2)
    y = torch.tensor(_CORNER_LABELS, dtype=torch.int64, device=device)  # (4,)
    return X, y


def noisy_xor(
    n: int,
    noise: float = 0.1,
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
) -> tuple[Tensor, Tensor]:
    """Sample ``n`` points scattered around the XOR corners.

    Each point picks a corner uniformly at random, keeps that corner's label
    and is displaced by isotropic gaussian noise of standard deviation
    ``noise``. Labels are never flipped, so with small ``noise`` the task is
    perfectly solvable by a non-linear model.

    Sampling always happens on the CPU with ``generator`` (a CPU generator),
    so a given seed yields the same points whatever ``device`` is asked for.

    Returns:
        X: (n, 2) tensor of points.
        y: (n,) int64 labels.
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise}")
    corners, corner_labels = xor_dataset(dtype=torch.float64)
    corner_index = torch.randint(0, 4, (n,), generator=generator)  # (n,)
    offsets = torch.randn(n, 2, generator=generator, dtype=torch.float64)  # (n, 2)
    X = corners[corner_index] + noise * offsets  # (n, 2)
    y = corner_labels[corner_index]  # (n,)
    return X.to(dtype=dtype, device=device), y.to(device=device)
