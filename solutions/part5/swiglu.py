"""SiLU and the SwiGLU feed-forward block: a gated replacement for Part 3's ReLU MLP.

Shazeer (2020), "GLU variants improve Transformer". One projection (w1) goes
through SiLU and gates, element by element, a second projection (w3); a third
(w2) maps back to d_model. LLaMA and Mistral use it in every block.
"""

import torch
from torch import nn


def silu(x: torch.Tensor) -> torch.Tensor:
    """x * sigmoid(x) (also called swish), elementwise; same shape and dtype."""
    # Hint: torch.sigmoid is allowed here.
    # BEGIN SOLUTION
    return x * torch.sigmoid(x)
    # END SOLUTION


class SwiGLU(nn.Module):
    """w2(silu(w1(x)) * w3(x)).

    Attributes:
        w1, w3: ``nn.Linear(d_model, d_ff, bias=False)``.
        w2: ``nn.Linear(d_ff, d_model, bias=False)``.
    """

    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        # Hint: three nn.Linear without bias, named w1, w2 and w3.
        # BEGIN SOLUTION
        self.w1 = nn.Linear(d_model, d_ff, bias=False)
        self.w2 = nn.Linear(d_ff, d_model, bias=False)
        self.w3 = nn.Linear(d_model, d_ff, bias=False)
        # END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x`` (..., d_model) -> (..., d_model)."""
        # Hint: the gate silu(w1(x)) multiplies w3(x) elementwise, then w2.
        # BEGIN SOLUTION
        return self.w2(silu(self.w1(x)) * self.w3(x))  # (..., d_model)
        # END SOLUTION
