"""Let a ``torch.optim.Optimizer`` subclass (the learner's Part 5 AdamW) run without importing ``torch._dynamo``.

Four methods of the base class (``add_param_group``, which its constructor
calls, ``zero_grad``, ``state_dict``, ``load_state_dict``) are wrapped in
``torch._disable_dynamo``, which imports ``torch._dynamo`` on its first call
(about 800 modules, 1.2 s of CPU) only to mark the method as "never compile".
A sandboxed worker cannot afford that import in every fork, and nothing is
compiled while grading, so the wrapper is told, once, that the method's
disabled form is the method itself: the same call, without the import.
"""

import torch

_WRAPPED = ("add_param_group", "zero_grad", "state_dict", "load_state_dict")


def run_optimizer_base_without_dynamo() -> None:
    """Pre-fill the cache ``torch._disable_dynamo`` keeps on each wrapped base-class method (idempotent)."""
    for name in _WRAPPED:
        function = getattr(getattr(torch.optim.Optimizer, name), "__wrapped__", None)
        if function is not None and getattr(function, "__dynamo_disable", None) is None:
            setattr(function, "__dynamo_disable", function)
