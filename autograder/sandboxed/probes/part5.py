"""Part 5 probes: optimiser updates, clipping, counting what generation feeds a model, and tokenizers in bulk.

Each runs next to the learner's objects (in the grader's worker) and sends back
plain values only: the parameters after each optimiser step, the clipped
gradients, the number of token rows that reached the embedding and the first
query projection in each forward call, or a batch of encodings.
"""

import torch

from autograder.sandboxed.probes import probe


@probe
def optimizer_trajectory(
    optimizer_class,
    initial: list[torch.Tensor],
    grads: list[list[torch.Tensor | None]],
    lrs: list[float] | None = None,
    **settings,
) -> list[list[torch.Tensor]]:
    """Step ``optimizer_class(params, **settings)`` once per entry of ``grads``; the parameters after each step.

    ``grads[s][i]`` is parameter i's gradient at step s (None: no gradient that step).
    With ``lrs``, ``param_groups[*]["lr"]`` is set to ``lrs[s]`` before step s, as a schedule does.
    """
    params = [torch.nn.Parameter(t.detach().clone()) for t in initial]
    optimizer = optimizer_class(params, **settings)
    trajectory = []
    for step, step_grads in enumerate(grads):
        if lrs is not None:
            for param_group in optimizer.param_groups:
                param_group["lr"] = lrs[step]
        for p, g in zip(params, step_grads, strict=True):
            p.grad = None if g is None else g.detach().clone()
        optimizer.step()
        trajectory.append([p.detach().clone() for p in params])
    return trajectory


@probe
def clip_gradients(clip, grads: list[torch.Tensor | None], max_norm: float, as_generator: bool = False):
    """``clip(params, max_norm)`` on parameters holding ``grads``; returns (what it returned, the grads after).

    A ``None`` entry is a parameter without a gradient.
    """
    params = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(3) if g is None else torch.zeros_like(g))
        p.grad = None if g is None else g.detach().clone()
        params.append(p)
    returned = clip(iter(params) if as_generator else params, max_norm)
    return returned, [None if p.grad is None else p.grad.detach().clone() for p in params]


@probe
def rows_per_forward(model, idx: torch.Tensor, max_new_tokens: int) -> tuple[torch.Tensor, list[int], list[int]]:
    """``model.generate(idx, max_new_tokens)`` with forward hooks counting rows: (tokens, rows at tok_emb, at q_proj).

    A row is one token position of one sequence: a forward over (B, T) ids
    brings B * T rows to the embedding. The hooks are removed afterwards.
    """
    embedded: list[int] = []  # ids (B, T) -> B * T rows
    queried: list[int] = []  # features (B, T, d_model) -> B * T rows

    def count_ids(module, inputs, output):
        embedded.append(inputs[0].numel())

    def count_vectors(module, inputs, output):
        queried.append(inputs[0].numel() // inputs[0].shape[-1])

    hooks = [
        model.tok_emb.register_forward_hook(count_ids),
        model.blocks[0].attn.q_proj.register_forward_hook(count_vectors),
    ]
    try:
        tokens = model.generate(idx, max_new_tokens)
    finally:
        for hook in hooks:
            hook.remove()
    return tokens, embedded, queried


@probe
def encode_decode_many(tokenizer, texts: list[str]) -> list[tuple[list[int], str]]:
    """``(ids, decode(ids))`` for each text, with ``ids = tokenizer.encode(text)``."""
    results = []
    for text in texts:
        ids = tokenizer.encode(text)
        results.append(([int(i) for i in ids], tokenizer.decode(ids)))
    return results


@probe
def decode_many(tokenizer, id_lists: list[list[int]]) -> list[str]:
    """``tokenizer.decode(ids)`` for each list."""
    return [tokenizer.decode(ids) for ids in id_lists]
