"""Build a learner's (or the reference's) ``nn.Module`` with weights the test chose, on any side of the sandbox.

Tests draw weights in float64 with exactly the contract's state_dict keys, then
``build`` creates the module and hands it, with the weights, to the
``load_module`` probe (move, strict load, eval mode in one request).
"""

import torch


def place(state: dict[str, torch.Tensor], device: str, dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """The same weights on ``device`` in ``dtype``."""
    return {k: v.to(device=device, dtype=dtype) for k, v in state.items()}


def build(impl, api: str, args: tuple, state: dict[str, torch.Tensor], device: str, dtype=torch.float64, **kwargs):
    """``impl.<api>(*args, **kwargs)`` moved to ``device``/``dtype`` with ``state`` loaded strictly, in eval mode."""
    model = getattr(impl, api)(*args, **kwargs)
    impl.probe(api, "load_module", model, place(state, device, dtype), device, dtype)
    return model
