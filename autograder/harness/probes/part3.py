"""Part 3 probes: gradients through attention, and training a learner's language model in place."""

import torch

from . import probe


@probe
def attention_grads(
    function, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask=None, upstream: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Gradients of sum(upstream * output) for q, k and v, where ``output, _ = function(q, k, v, mask)``."""
    leaves = [t.detach().clone().requires_grad_() for t in (q, k, v)]
    with torch.enable_grad():
        out = function(*leaves, mask)
        out = out[0] if isinstance(out, tuple) else out
        out.backward(upstream if upstream is not None else torch.ones_like(out))
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
    """Train ``model`` in place with AdamW on random windows of ``data`` (1-D int64); return each step's loss.

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
    # foreach: one operation per step for all parameters rather than one per parameter (fewer recorded ops)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0, foreach=True)
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
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses[step] = loss.detach()
    model.eval()
    return losses
