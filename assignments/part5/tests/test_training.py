"""Public tests for get_batch, AdamW, cosine_lr, clip_grad_norm and train_lm (training the modern way)."""

import math

import torch

from assignments.part5.tests.modern_oracles import adamw_oracle, lm_state
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth


@graded("get_batch", points=3)
def test_get_batch_windows_and_targets(impl, device, gen):
    """on data 0..11 with context 4: x rows are windows, y is x shifted by one, every valid start occurs"""
    data = torch.arange(12, device=device)
    x, y = impl.get_batch(data, 400, 4, gen)
    expect(
        x.shape == (400, 4) and y.shape == (400, 4) and x.dtype == torch.int64 and x.device.type == device,
        case="get_batch(data of 12, batch_size=400, context_len=4)",
        expected=f"x and y int64 of shape (400, 4) on {device}",
        got=f"x {tuple(x.shape)} {x.dtype} on {x.device.type}",
    )
    x, y = x.cpu(), y.cpu()
    starts = x[:, 0]
    windows_ok = bool((x == starts[:, None] + torch.arange(4)).all() and (y == x + 1).all())
    seen = sorted(set(starts.tolist()))
    expect(
        windows_ok and seen == list(range(8)),
        case="400 draws from data = arange(12), context 4",
        expected="x = data[s : s + 4], y = data[s + 1 : s + 5], and every start 0..7 drawn",
        got=f"consecutive windows shifted by one: {windows_ok}; starts seen {seen}",
        cause="the valid starts are 0 .. len(data) - context_len - 1, so randint's high is len(data) - context_len",
    )


@graded("AdamW", points=4)
def test_adamw_matches_pytorch(impl, gen):
    """5 steps on two float64 parameters equal PyTorch's AdamW update (lr 0.1, weight_decay 0.1)"""
    initial = [randn(3, 2, gen=gen, dtype=torch.float64), randn(4, gen=gen, dtype=torch.float64)]
    grads = [[randn(3, 2, gen=gen, dtype=torch.float64), randn(4, gen=gen, dtype=torch.float64)] for _ in range(5)]
    settings = {"lr": 0.1, "betas": (0.9, 0.95), "eps": 1e-8, "weight_decay": 0.1}
    got = impl.probe("AdamW", "optimizer_trajectory", impl.AdamW, initial, grads, **settings)
    want = adamw_oracle(initial, grads, **settings)
    for step, (got_step, want_step) in enumerate(zip(got, want, strict=True)):
        for index, (g, w) in enumerate(zip(got_step, want_step, strict=True)):
            expect_close(
                g,
                w,
                case=f"parameter {index} after step {step + 1}",
                depth=Depth.CHAIN,
                cause="decay first (p -= lr * weight_decay * p), then m and v, then the bias-corrected step "
                "lr * m_hat / (sqrt(v_hat) + eps)",
            )


def _cosine(step, max_lr, min_lr, warmup, total):
    if step < warmup:
        return max_lr * step / warmup
    if step > total:
        return min_lr
    return min_lr + 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) * (max_lr - min_lr)


@graded("cosine_lr", points=3)
def test_cosine_lr_warmup_decay_and_floor(impl):
    """warmup 10, total 100, max 1e-3, min 1e-4: steps 0, 5, 10, 55, 99, 100, 150"""
    for step in (0, 5, 10, 55, 99, 100, 150):
        got = impl.cosine_lr(step, 1e-3, 1e-4, 10, 100)
        want = _cosine(step, 1e-3, 1e-4, 10, 100)
        expect(
            isinstance(got, (int, float)) and abs(got - want) <= 1e-12,
            case=f"cosine_lr(step={step}, max_lr=1e-3, min_lr=1e-4, warmup_steps=10, total_steps=100)",
            expected=f"{want!r}",
            got=f"{got!r}",
            cause="linear warmup from 0, then min_lr + (1 + cos(pi * progress)) / 2 * (max_lr - min_lr) with "
            "progress = (step - warmup) / (total - warmup); min_lr from total_steps on",
        )


@graded("clip_grad_norm", points=3)
def test_clip_grad_norm_matches_pytorch(impl, gen):
    """three float64 gradients of total norm about 7, clipped to 1 and to 100: returns and grads of clip_grad_norm_"""
    grads = [randn(3, gen=gen, dtype=torch.float64, scale=3.0), randn(2, 2, gen=gen, dtype=torch.float64, scale=3.0)]
    for max_norm in (1.0, 100.0):
        returned, clipped = impl.probe("clip_grad_norm", "clip_gradients", impl.clip_grad_norm, grads, max_norm)
        params = [torch.nn.Parameter(torch.zeros_like(g)) for g in grads]
        for p, g in zip(params, grads, strict=True):
            p.grad = g.clone()
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
        expect_close(
            returned, norm, case=f"returned norm (max_norm {max_norm})", depth=Depth.REDUCTION,
            cause="return the total L2 norm of all gradients together, before clipping, as a 0-dim tensor",
        )  # fmt: skip
        for index, p in enumerate(params):
            expect_close(
                clipped[index], p.grad, case=f"gradient {index} after clipping to {max_norm}", depth=Depth.REDUCTION,
                cause="scale every gradient in place by max_norm / (norm + eps), only when norm > max_norm",
            )  # fmt: skip


TRAIN_CONFIG = {"vocab_size": 8, "d_model": 16, "n_layers": 1, "n_heads": 2, "n_kv_heads": 1, "d_ff": 32}


@graded("train_lm", points=3)
def test_train_lm_learns_a_repeating_sequence(impl, gen):
    """30 steps on a sequence repeating 0..7: the mean loss of the last 5 steps is far below the first step's"""
    model = build(impl, "ModernLM", (), lm_state(TRAIN_CONFIG, gen), "cpu", torch.float32, **TRAIN_CONFIG)
    data = torch.arange(8).repeat(40)  # (320,)
    losses = impl.train_lm(model, data, 30, 8, 16, 1e-2, 1e-3, 5, 0.01, 1.0, gen)
    ok = isinstance(losses, list) and len(losses) == 30 and all(isinstance(v, float) for v in losses)
    expect(
        ok and sum(losses[-5:]) / 5 < 0.5 * losses[0],
        case="train_lm(model, 0..7 repeated, steps=30, batch 8, context 16, max_lr 1e-2)",
        expected="a list of 30 floats whose last five average below half the first",
        got=f"{losses if not ok else [round(v, 3) for v in losses[::5]]}",
        cause="per step: lr from cosine_lr into every param group, get_batch, cross-entropy of (logits, y), "
        "zero the gradients, backward, clip_grad_norm, AdamW step; return loss.item() of each step",
    )
