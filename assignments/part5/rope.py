"""Rotary position embedding (RoPE): encode a position by rotating pairs of features.

Su et al. (2021), RoFormer. Pair i of a vector at position p is turned by the
angle p * theta^(-2i/d). Rotating a query at position m and a key at position n
makes their dot product depend on m - n only: attention sees relative position,
and no position embedding is added to the tokens.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import torch


def rope(x: torch.Tensor, positions: torch.Tensor, theta: float = 10000.0) -> torch.Tensor:
    """Rotate each pair (x[..., 2i], x[..., 2i+1]) at position p by p * theta^(-2i/d).

    Args:
        x: (..., T, d) with d even.
        positions: (T,) int64, the position of each of the T rows.
        theta: the base of the frequencies.

    Returns:
        The rotated tensor, same shape and dtype as ``x``.
    """
    # Hint: compute the angles in at least float32 (torch.promote_types(x.dtype, torch.float32)):
    # half-precision angles are wrong by whole hundredths of a radian at large positions.
    # Frequencies theta ** (-(2i) / d) for i = 0 .. d/2 - 1; angles (T, d/2); take the even and
    # odd features x[..., 0::2], x[..., 1::2]; rotate; interleave back with torch.stack(..., dim=-1).
    raise NotImplementedError("rope")
