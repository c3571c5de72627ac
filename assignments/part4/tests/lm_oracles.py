"""What the Part 4 tests share: running a function on a test model, float64 oracles, and the sampling statistics.

The models themselves live in ``autograder/shared/lm_models.py``. A test calls
``on_model(impl, api, spec, ...)``: the learner's function runs next to a model
built from ``spec`` (in the grader, inside the sandbox) and the result comes back
with the model's call log.

Sampling is judged by frequencies, never by matching draws: ``expect_frequencies``
accepts any exact sampler. Its threshold comes from Hoeffding's inequality: for n
independent draws and one token of probability p, P(|freq - p| >= eps) <=
2 exp(-2 n eps^2); over the k tokens of a row (a union bound) a correct sampler
fails with probability at most 2 k exp(-2 n eps^2). ``frequency_tolerance``
solves that for eps with the failure probability set to 1e-7 (below the 1e-6 per
test the course promises, leaving room for tests that check a few rows). For
example n = 4000, k = 8: eps = 0.0486. Tokens of probability 0 must never be drawn.
"""

import math

import torch

from autograder.trusted.harness.checks import GradingFailure, expect

FAILURE_PROBABILITY = 1e-7  # per call of expect_frequencies; a test makes at most 10 of them


def on_model(impl, api: str, spec: dict, *args, **kwargs) -> tuple[object, dict]:
    """``impl.<api>(model, *args, **kwargs)`` for the model ``spec`` describes: (result, the model's call log)."""
    log = impl.probe(api, "with_model", getattr(impl, api), spec, *args, **kwargs)
    return log.pop("out"), log


def log_softmax64(logits: torch.Tensor) -> torch.Tensor:
    """log softmax over the last dimension in float64, on the CPU."""
    return torch.log_softmax(logits.detach().to("cpu", torch.float64), dim=-1)


def sequence_oracle(model, idx: torch.Tensor, prompt_len: int) -> torch.Tensor:
    """(B,) float64: the chain rule written out, one position at a time."""
    log_probs = log_softmax64(model(idx))  # (B, T, V)
    total = torch.zeros(idx.shape[0], dtype=torch.float64)
    for t in range(prompt_len, idx.shape[1]):
        total += log_probs[torch.arange(idx.shape[0]), t - 1, idx[:, t].cpu()]
    return total


def sampling_distribution(
    logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None
) -> torch.Tensor:
    """(B, V) float64: the distribution ``sample_next_token`` must draw from, row by row, written plainly."""
    logits = logits.detach().to("cpu", torch.float64)
    out = torch.zeros_like(logits)
    for b, row in enumerate(logits):
        if temperature == 0:
            out[b, row.argmax()] = 1.0
            continue
        order = sorted(range(len(row)), key=lambda j: -float(row[j]))
        kept = order[:top_k] if top_k is not None else order
        probs = torch.softmax(row[kept] / temperature, dim=0)
        if top_p is not None:
            mass, count = 0.0, 0
            while count < len(kept) and (count == 0 or mass < top_p):
                mass += float(probs[count])
                count += 1
            kept, probs = kept[:count], probs[:count] / probs[:count].sum()
        out[b, kept] = probs
    return out


def frequency_tolerance(n: int, k: int, failure: float = FAILURE_PROBABILITY) -> float:
    """The eps with 2 k exp(-2 n eps^2) = failure: how far a correct sampler's frequencies may stray."""
    return math.sqrt(math.log(2 * k / failure) / (2 * n))


def expect_frequencies(draws, probs: torch.Tensor, *, case: str, cause: str) -> None:
    """``draws`` (n,) int64 look like n independent draws from ``probs`` (V,) float64."""
    expect(
        isinstance(draws, torch.Tensor) and draws.dtype == torch.int64 and draws.dim() == 1,
        case=case,
        expected="a 1-D int64 tensor of token ids",
        got=f"{type(draws).__name__} {getattr(draws, 'dtype', '')} {tuple(getattr(draws, 'shape', ()))}",
        cause="return one int64 token id per row, shape (B,)",
    )
    draws = draws.cpu()
    V = probs.shape[-1]
    expect(
        bool(((draws >= 0) & (draws < V)).all()),
        case=case,
        expected=f"token ids in [0, {V})",
        got=f"ids from {int(draws.min())} to {int(draws.max())}",
        cause="return token indices along the last dimension of logits",
    )
    freq = torch.bincount(draws, minlength=V).double() / len(draws)
    # The summary says which token and how; the frequencies themselves go to the detail, which the grader
    # withholds for hidden tests.
    detail = f"probabilities: {_rounded(probs)}\n  frequencies: {_rounded(freq)} of {len(draws)} draws"
    impossible = ((probs == 0) & (freq > 0)).nonzero().flatten().tolist()
    if impossible:
        summary = f"{case}\nexpected: no token outside the allowed set (probability 0) is ever drawn"
        raise GradingFailure(f"{summary}\ngot: token {impossible[0]} was drawn\nlikely cause: {cause}", detail)
    eps = frequency_tolerance(len(draws), int((probs > 0).sum()))
    gap = (freq - probs).abs()
    worst = int(gap.argmax())
    if float(gap[worst]) > eps:
        summary = f"{case}\nexpected: every token drawn as often as its probability says (within {eps:.3f})"
        got = f"token {worst} is off by {float(gap[worst]):.3f}"
        raise GradingFailure(f"{summary}\ngot: {got}\nlikely cause: {cause}", detail)


def _rounded(values: torch.Tensor) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in values.tolist()) + "]"
