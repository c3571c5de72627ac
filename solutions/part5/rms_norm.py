"""RMSNorm: rescale every position's features by their root mean square, with no mean subtracted.

Zhang and Sennrich (2019), the normalisation of LLaMA and Mistral. Part 3's
LayerNorm centres and rescales; RMSNorm keeps only the rescaling, which is
cheaper and trains as well. Half-precision inputs are normalised in float32:
the mean of squares of many float16 values loses too much to rounding.
"""

import torch
from torch import nn


class RMSNorm(nn.Module):
    """y = x / sqrt(mean(x^2 over the last dimension) + eps) * weight.

    Attributes:
        eps: added to the mean of squares, inside the square root.
        weight: (d_model,) parameter, initialised to ones.
    """

    def __init__(self, d_model: int, eps: float = 1e-5):
        super().__init__()
        # Hint: store eps; weight is an nn.Parameter of ones, shape (d_model,). No bias.
        # BEGIN SOLUTION
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d_model))
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Normalise ``x`` (..., d_model) over its last dimension; same shape and dtype out."""
        # Hint: work in torch.promote_types(x.dtype, torch.float32); mean of x * x along
        # dim=-1 with keepdim=True; torch.rsqrt; multiply by weight; cast back to x.dtype.
        # BEGIN SOLUTION
        work = x.to(torch.promote_types(x.dtype, torch.float32))  # (..., d_model)
        inv_rms = torch.rsqrt((work * work).mean(dim=-1, keepdim=True) + self.eps)  # (..., 1)
        return (work * inv_rms * self.weight).to(x.dtype)
        # END SOLUTION
