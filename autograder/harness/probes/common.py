"""Probes any part may use: autograd through a learner callable, and in-place parameter updates."""

import torch

from . import probe


@probe
def parameter_grads(module, *inputs, upstream: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
    """Run ``module(*inputs)``, backpropagate ``upstream`` (or the sum), return each named parameter's gradient.

    A parameter that received no gradient is reported as a zero tensor of its shape
    together with the key ``"<name>:none"`` so the test can name it.
    """
    module.zero_grad(set_to_none=True)
    with torch.enable_grad():
        out = module(*inputs)
        out.backward(upstream if upstream is not None else torch.ones_like(out))
    grads: dict[str, torch.Tensor] = {}
    for name, parameter in module.named_parameters():
        if parameter.grad is None:
            grads[f"{name}:none"] = torch.zeros_like(parameter)
        else:
            grads[name] = parameter.grad.detach().clone()
    return grads


@probe
def input_grad(function, x: torch.Tensor, *rest, upstream: torch.Tensor | None = None) -> torch.Tensor:
    """d(sum(upstream * function(x, *rest)))/dx, computed by autograd next to the learner's code."""
    leaf = x.detach().clone().requires_grad_()
    with torch.enable_grad():
        out = function(leaf, *rest)
        out = out[0] if isinstance(out, tuple) else out
        out.backward(upstream if upstream is not None else torch.ones_like(out))
    return leaf.grad.detach().clone() if leaf.grad is not None else torch.zeros_like(x)


@probe
def scale_parameters_in_place(model, factor: float) -> int:
    """Multiply every tensor ``model.parameters()`` returns by ``factor`` in place; return how many there were."""
    parameters = list(model.parameters())
    with torch.no_grad():
        for parameter in parameters:
            parameter.mul_(factor)
    return len(parameters)
