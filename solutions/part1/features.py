"""A hand-made feature map that makes XOR linearly separable.

Slides, section 3: "Possible solutions": phi(x1, x2) = [x1 + x2, x1 * x2] maps
the four XOR points to a representation where one straight line separates them.
"""

import torch


def xor_features(x: torch.Tensor) -> torch.Tensor:
    """Map each point (x1, x2) to [x1 + x2, x1 * x2].

    Args:
        x: points, shape (n, 2).

    Returns:
        features, shape (n, 2): column 0 is x1 + x2, column 1 is x1 * x2.
    """
    # Hint: index the two columns and stack the two new columns back together.
    # BEGIN SOLUTION
    x1, x2 = x[:, 0], x[:, 1]  # (n,) each
    return torch.stack([x1 + x2, x1 * x2], dim=1)  # (n, 2)
    # END SOLUTION
