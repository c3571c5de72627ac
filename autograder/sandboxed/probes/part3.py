"""Part 3 probes: loading a learner's module, gradients through attention, training its language model in place."""

import math

import torch

from autograder.sandboxed.probes import probe
from autograder.sandboxed.probes.common import backpropagate
from autograder.shared.hints import probes as probe_hints
from autograder.shared.verdicts import BrokenContract


@probe
def load_module(module, state: dict[str, torch.Tensor], device: str, dtype: torch.dtype) -> None:
    """``module.to(device, dtype)``, ``load_state_dict(state)`` (strict) and ``eval()``, in place.

    The three calls every Part 3 test makes on a freshly built module, as one
    request to the grader's worker instead of three: each request costs far more
    than these calls themselves.
    """
    module.to(device=device, dtype=dtype)
    names = set(module.state_dict())
    if names != set(state):  # say it in the contract's terms before load_state_dict says it in its own
        missing, extra = sorted(set(state) - names), sorted(names - set(state))
        raise BrokenContract(probe_hints.state_dict_keys(missing, extra))
    module.load_state_dict(state)
    module.eval()


@probe
def attention_grads(
    function, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask=None, upstream: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Gradients of sum(upstream * output) for q, k and v, where ``output, _ = function(q, k, v, mask)``."""
    leaves = [t.detach().clone().requires_grad_() for t in (q, k, v)]
    with torch.enable_grad():
        out = function(*leaves, mask)
        out = out[0] if isinstance(out, tuple) else out
        backpropagate(out, upstream)
    return tuple(leaf.grad.detach().clone() if leaf.grad is not None else torch.zeros_like(leaf) for leaf in leaves)


@probe
def train_language_model(
    model,
    data: torch.Tensor,
    steps: int,
    batch_size: int,
    block_size: int,
    lr: float,
    seed: int = 0,
) -> torch.Tensor:
    """Train ``model`` in place with Adam on random windows of ``data`` (1-D int64); return each step's loss.

    The loss is the mean cross-entropy of the next character at every position,
    the objective of a causal language model. Windows are drawn from a generator
    seeded with ``seed``, so a run is reproducible. The loop runs on one CPU
    thread: the matrices are tiny, and a second OpenMP thread only adds contention.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _train(model, data, steps, batch_size, block_size, lr, seed)
    finally:
        torch.set_num_threads(threads)


def _train(model, data, steps, batch_size, block_size, lr, seed) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    parameters = [p for p in model.parameters() if p.requires_grad]
    adam = _Adam(parameters, lr)
    offsets = torch.arange(block_size + 1)  # (block_size + 1,)
    losses = torch.empty(steps, dtype=torch.float64)
    model.train()
    with torch.enable_grad():
        for step in range(steps):
            starts = torch.randint(0, len(data) - block_size - 1, (batch_size,), generator=generator)
            windows = data[starts[:, None] + offsets]  # (batch_size, block_size + 1)
            x, y = windows[:, :-1], windows[:, 1:]  # (batch_size, block_size) each
            logits = model(x)  # (batch_size, block_size, vocab)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            for p in parameters:
                p.grad = None
            loss.backward()
            adam.step([p.grad if p.grad is not None else torch.zeros_like(p) for p in parameters])
            losses[step] = loss.detach()
    model.eval()
    return losses


class _Adam:
    """Adam (Kingma and Ba, 2015) written with foreach operations: a handful of recorded operations per step.

    Why not ``torch.optim.Adam``: its constructor imports ``torch._dynamo``
    (about a second of CPU and 36 MB), which a sandboxed worker cannot import
    by itself, so every grading process would have to load it ahead for
    nothing this loop uses.
    """

    def __init__(self, parameters: list[torch.Tensor], lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        self.parameters, self.lr, self.betas, self.eps = parameters, lr, betas, eps
        self.mean = [torch.zeros_like(p) for p in parameters]  # first moment of each gradient
        self.square = [torch.zeros_like(p) for p in parameters]  # second moment
        self.steps = 0

    @torch.no_grad()
    def step(self, grads: list[torch.Tensor]) -> None:
        beta1, beta2 = self.betas
        self.steps += 1
        torch._foreach_lerp_(self.mean, grads, 1 - beta1)
        torch._foreach_mul_(self.square, beta2)
        torch._foreach_addcmul_(self.square, grads, grads, value=1 - beta2)
        # bias-corrected: m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps)
        denominator = torch._foreach_sqrt(self.square)
        torch._foreach_div_(denominator, math.sqrt(1 - beta2**self.steps))
        torch._foreach_add_(denominator, self.eps)
        torch._foreach_addcdiv_(self.parameters, self.mean, denominator, value=-self.lr / (1 - beta1**self.steps))
