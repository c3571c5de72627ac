"""Probes any part may use: autograd through a learner callable, and in-place parameter updates."""

import torch

from autograder.sandboxed.probes import probe


def backpropagate(out: torch.Tensor, upstream: torch.Tensor | None) -> None:
    """Gradients of sum(upstream * out) (of sum(out) without ``upstream``) into the leaves below ``out``.

    The same numbers as ``out.backward(upstream)``, through a scalar: a
    backward with an explicit gradient makes torch import its symbolic-shape
    machinery on first use, about a quarter second in every fresh worker.
    """
    (out.sum() if upstream is None else (out * upstream).sum()).backward()


@probe
def parameter_grads(module, *inputs, upstream: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
    """Run ``module(*inputs)``, backpropagate ``upstream`` (or the sum), return each named parameter's gradient.

    A parameter that received no gradient is reported as a zero tensor of its shape
    together with the key ``"<name>:none"`` so the test can name it.
    """
    module.zero_grad(set_to_none=True)
    with torch.enable_grad():
        out = module(*inputs)
        out = out[0] if isinstance(out, tuple) else out  # (output, cache) from a Part 5 module
        backpropagate(out, upstream)
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
        backpropagate(out, upstream)
    return leaf.grad.detach().clone() if leaf.grad is not None else torch.zeros_like(x)


@probe
def scale_parameters_in_place(model, factor: float) -> int:
    """Multiply every tensor ``model.parameters()`` returns by ``factor`` in place; return how many there were."""
    parameters = list(model.parameters())
    with torch.no_grad():
        for parameter in parameters:
            parameter.mul_(factor)
    return len(parameters)
