"""Oracles shared by the hidden Part 2 suites: the MLP written out in float64, and models placed on a device.

``Linear`` and ``MLP`` have no ``.to(device)`` in the contract, so a test draws
the parameters itself (on the CPU, from its generator), moves them, and hands
them to the ``assign_parameters`` probe.
"""

import torch

from assignments.part2.tests.mlp_oracles import mlp_formula
from autograder.shared.inputs import randn
from autograder.trusted.harness.gradcheck import autograd_gradients


def param_names(n_linear: int) -> list[str]:
    """['W1', 'b1', 'W2', 'b2', ...]"""
    return [f"{kind}{i}" for i in range(1, n_linear + 1) for kind in ("W", "b")]


def draw_params(sizes, gen, device, dtype=torch.float32) -> list[torch.Tensor]:
    """Random [W1, b1, ...] for ``sizes``, scaled like a sensible initialisation."""
    params = []
    for d_in, d_out in zip(sizes[:-1], sizes[1:], strict=True):
        params += [
            randn(d_in, d_out, gen=gen, device=device, dtype=dtype, scale=1.5 / d_in**0.5),
            randn(d_out, gen=gen, device=device, dtype=dtype, scale=0.5),
        ]
    return params


def placed_mlp(implementation, sizes, activation, params, gen=None):
    """``implementation.MLP(sizes, activation)`` with ``params`` assigned (on their device and dtype)."""
    model = implementation.MLP(sizes, activation=activation, generator=gen)
    implementation.probe("MLP", "assign_parameters", model, params)
    return model


def placed_linear(implementation, W, b, gen=None):
    layer = implementation.Linear(W.shape[0], W.shape[1], generator=gen)
    implementation.probe("Linear", "assign_parameters", layer, [W, b])
    return layer


def mlp_autograd(x, params, activation, upstream) -> dict[str, torch.Tensor]:
    """torch.autograd's float64 gradients of sum(upstream * logits): keys 'x', 'W1', 'b1', ..."""
    names = param_names(len(params) // 2)
    return autograd_gradients(
        lambda x, **p: mlp_formula(x, [p[n] for n in names], activation),
        {"x": x, **dict(zip(names, params, strict=True))},
        upstream=upstream,
    )


def to64(tensors):
    return [t.detach().to("cpu", torch.float64) for t in tensors]
