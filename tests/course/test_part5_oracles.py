"""The Part 5 tests' AdamW oracle is PyTorch's AdamW: the same parameters, step by step, as torch.optim.AdamW."""

import torch

from assignments.part5.tests.modern_oracles import adamw_oracle


def _optimizer_trajectory(initial, grads, lrs, **settings):
    params = [torch.nn.Parameter(t.clone()) for t in initial]
    optimizer = torch.optim.AdamW(params, **settings)
    trajectory = []
    for step, step_grads in enumerate(grads):
        for group in optimizer.param_groups:
            group["lr"] = lrs[step]
        for p, g in zip(params, step_grads, strict=True):
            p.grad = None if g is None else g.clone()
        optimizer.step()
        trajectory.append([p.detach().clone() for p in params])
    return trajectory


def test_adamw_oracle_equals_torch_optim_adamw():
    generator = torch.Generator().manual_seed(0)
    shapes = [(3, 2), (4,)]
    initial = [torch.randn(*s, generator=generator, dtype=torch.float64) for s in shapes]
    pattern = [(1, 1), (0, 1), (1, 0), (1, 1)]
    grads = [
        [
            torch.randn(*s, generator=generator, dtype=torch.float64) if on else None
            for s, on in zip(shapes, row, strict=True)
        ]
        for row in pattern
    ]
    lrs = [0.1, 0.0, 0.05, 0.2]
    settings = {"betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.3}
    want = _optimizer_trajectory(initial, grads, lrs, lr=0.1, **settings)
    got = adamw_oracle(initial, grads, lrs, **settings)
    for got_step, want_step in zip(got, want, strict=True):
        for g, w in zip(got_step, want_step, strict=True):
            assert torch.equal(g, w)
