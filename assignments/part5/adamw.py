"""AdamW: Adam with weight decay taken out of the gradient (Loshchilov and Hutter, 2019).

Adam scales each parameter's step by a running estimate of its gradient's size.
Adding weight decay to the gradient, as plain L2 regularisation does, lets that
scaling shrink the decay of parameters with large gradients; AdamW instead
shrinks every weight by lr * weight_decay directly, then takes the Adam step.
"""

# Your file: replace each `raise NotImplementedError` below with your own code.

import math

import torch


class AdamW(torch.optim.Optimizer):
    """The update of ``torch.optim.AdamW`` (without amsgrad), for each parameter that has a gradient.

    Per parameter p with gradient g, at its step t (1, 2, ...):
        p <- p - lr * weight_decay * p
        m <- beta1 * m + (1 - beta1) * g;   v <- beta2 * v + (1 - beta2) * g^2
        p <- p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
    ``lr`` is read from ``param_groups`` at every step, so a schedule can change it.
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.01):
        # Hint: hand a dict of the four settings to super().__init__(params, defaults).
        raise NotImplementedError("__init__")

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter with a gradient; returns ``closure()``'s loss when one is given."""
        # Hint: for each group, for each p with p.grad: its state (self.state[p]) keeps its own step
        # count and the two moment tensors (zeros_like(p) the first time). Decay first, then update
        # m and v in place, then the bias-corrected step: p.addcdiv_(m, denominator, value=...).
        raise NotImplementedError("step")
