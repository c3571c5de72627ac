"""AdamW: Adam with weight decay taken out of the gradient (Loshchilov and Hutter, 2019).

Adam scales each parameter's step by a running estimate of its gradient's size.
Adding weight decay to the gradient, as plain L2 regularisation does, lets that
scaling shrink the decay of parameters with large gradients; AdamW instead
shrinks every weight by lr * weight_decay directly, then takes the Adam step.
"""

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
        # BEGIN SOLUTION
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay})
        # END SOLUTION

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter with a gradient; returns ``closure()``'s loss when one is given."""
        # Hint: for each group, for each p with p.grad: its state (self.state[p]) keeps its own step
        # count and the two moment tensors (zeros_like(p) the first time). Decay first, then update
        # m and v in place, then the bias-corrected step: p.addcdiv_(m, denominator, value=...).
        # BEGIN SOLUTION
        loss = None if closure is None else torch.enable_grad()(closure)()  # a closure recomputes the loss
        for group in self.param_groups:
            lr, (beta1, beta2), eps, decay = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t, m, v, g = state["step"], state["exp_avg"], state["exp_avg_sq"], p.grad
                p.mul_(1 - lr * decay)
                m.lerp_(g, 1 - beta1)
                v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
                denominator = (v.sqrt() / math.sqrt(1 - beta2**t)).add_(eps)
                p.addcdiv_(m, denominator, value=-lr / (1 - beta1**t))
        return loss
        # END SOLUTION
