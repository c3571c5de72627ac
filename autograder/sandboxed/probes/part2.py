"""Part 2 probes: placing a learner's layer or MLP on a device, and training it through its own parameters().

The contract gives ``Linear`` and ``MLP`` no ``.to(device)``: a test that needs
a model in float64 or on cuda hands the tensors it wants to ``assign_parameters``,
which sets each ``Linear``'s ``W`` and ``b`` (the contract's attribute names)
right next to the learner's objects.
"""

import torch

from autograder.sandboxed.probes import probe
from autograder.shared.hints import probes as probe_hints


def _linear_layers(model) -> list:
    """The Linear layers of an MLP (those with W and b), or the layer itself."""
    if hasattr(model, "layers"):
        return [layer for layer in model.layers if hasattr(layer, "W") and hasattr(layer, "b")]
    return [model]


@probe
def assign_parameters(model, tensors: list[torch.Tensor]) -> int:
    """Set [W1, b1, W2, b2, ...] on a ``Linear`` or on the Linear layers of an ``MLP``; return how many layers."""
    layers = _linear_layers(model)
    if len(tensors) != 2 * len(layers):
        raise ValueError(probe_hints.parameter_count(2 * len(layers), len(layers), len(tensors)))
    for layer, W, b in zip(layers, tensors[0::2], tensors[1::2], strict=True):
        layer.W, layer.b = W.clone(), b.clone()
    return len(layers)


@probe
def sgd_step_through_parameters(model, x: torch.Tensor, grad_logits: torch.Tensor, lr: float) -> torch.Tensor:
    """forward, backward, then p -= lr * g in place for the pairs of parameters()/gradients(); return forward(x) after.

    Writes only into the tensors ``parameters()`` hands out: when they are the
    model's own tensors, the returned output reflects the step.
    """
    model.forward(x)
    model.backward(grad_logits)
    for p, g in zip(model.parameters(), model.gradients(), strict=True):
        p.sub_(lr * g)
    return model.forward(x)
