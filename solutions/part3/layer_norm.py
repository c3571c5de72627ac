"""Layer normalisation: give every position's feature vector zero mean and unit variance, then rescale.

Slides, section 6 (the "Add & Normalize" boxes of the Transformer) and Ba et
al. (2016). Statistics are taken over the last dimension only, so each token is
normalised on its own, whatever the batch or the sequence length.
"""

import torch
from torch import nn


class LayerNorm(nn.Module):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, over the last dimension.

    The variance is the biased one (divide by d_model, not d_model - 1), and eps
    sits inside the square root.

    Attributes:
        eps: added to the variance.
        weight: (d_model,) parameter, initialised to ones.
        bias: (d_model,) parameter, initialised to zeros.
    """

    def __init__(self, d_model: int, eps: float = 1e-5):
        super().__init__()
        # Hint: store eps; weight and bias are nn.Parameter of shape (d_model,).
        # BEGIN SOLUTION
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d_model))
        self.bias = nn.Parameter(torch.zeros(d_model))
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Normalise ``x`` (..., d_model) over its last dimension; same shape out."""
        # Hint: mean and variance along dim=-1 with keepdim=True; the variance is the mean
        # of squared deviations (unbiased=False).
        # BEGIN SOLUTION
        mean = x.mean(dim=-1, keepdim=True)  # (..., 1)
        var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)  # (..., 1), biased
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        # END SOLUTION
