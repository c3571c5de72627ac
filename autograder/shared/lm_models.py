"""The small language models Part 4 is graded with: public code, weights the tests choose, every call counted.

Part 4 never uses a learner's own Part 3 model: a broken Part 3 must cost
nothing here. A test describes a model as a *spec* (a dict of plain values and
tensors, which crosses the grader's sandbox boundary), and ``build(spec)``
makes it next to the code under test. Each model is a callable from int64 ids
(B, T) to next-token logits (B, T, V) and keeps a log of how it was called (how
many calls, how many rows and tokens each, with or without autograd), which the
tests read to check "one model call", "at most max_len tokens" and "under no_grad".

- ``BigramLM``: the next token depends only on the current one, through a (V, V)
  table of logits; small enough to work out by hand.
- ``PrefixMeanLM``: every position sees the mean embedding of its whole prefix,
  so the logits depend on everything before (and nothing after) each position,
  and on exactly which window of tokens the model is handed.
"""

import torch

from autograder.shared.hints import probes as probe_hints


class CountingLM:
    """What every test model shares: input checks, the call log and the optional context limit ``max_len``."""

    def __init__(self, vocab_size: int, max_len: int | None = None):
        self.vocab_size = vocab_size
        self.context = max_len  # the most tokens one call may hold (None: no limit)
        self.rows: list[int] = []  # B of each call
        self.lengths: list[int] = []  # T of each call
        self.grad_enabled: list[bool] = []  # whether autograd was on during each call

    @property
    def calls(self) -> int:
        return len(self.rows)

    def __call__(self, idx: torch.Tensor) -> torch.Tensor:
        if not isinstance(idx, torch.Tensor) or idx.dtype != torch.int64 or idx.dim() != 2:
            raise TypeError(probe_hints.model_wants_token_ids(_describe(idx)))
        B, T = idx.shape
        if T == 0 or B == 0:
            raise ValueError(probe_hints.model_needs_tokens(tuple(idx.shape)))
        if self.context is not None and T > self.context:
            raise ValueError(probe_hints.model_context_exceeded(self.context, T))
        if bool(((idx < 0) | (idx >= self.vocab_size)).any()):
            raise ValueError(probe_hints.token_ids_out_of_range(self.vocab_size))
        self.rows.append(B)
        self.lengths.append(T)
        self.grad_enabled.append(torch.is_grad_enabled())
        return self.logits(idx)

    def logits(self, idx: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def log(self) -> dict:
        """The call log, as plain values."""
        return {"calls": self.calls, "rows": self.rows, "lengths": self.lengths, "grad_enabled": self.grad_enabled}


class BigramLM(CountingLM):
    """logits[b, t] = table[idx[b, t]]: the next token's scores depend on the current token only."""

    def __init__(self, table: torch.Tensor, max_len: int | None = None):
        super().__init__(table.shape[0], max_len)
        self.table = table  # (V, V): row a scores the token after a

    def logits(self, idx: torch.Tensor) -> torch.Tensor:
        return self.table[idx]  # (B, T, V)


class PrefixMeanLM(CountingLM):
    """logits = tanh(mean(emb[idx[:, :t+1]]) @ mix + emb[idx[:, t]]) @ out: causal, and sensitive to its window."""

    def __init__(self, emb: torch.Tensor, mix: torch.Tensor, out: torch.Tensor, max_len: int | None = None):
        super().__init__(emb.shape[0], max_len)
        self.emb, self.mix, self.out = emb, mix, out  # (V, d), (d, d), (d, V)

    def logits(self, idx: torch.Tensor) -> torch.Tensor:
        e = self.emb[idx]  # (B, T, d)
        steps = torch.arange(1, idx.shape[1] + 1, device=idx.device, dtype=e.dtype)  # (T,)
        prefix_mean = e.cumsum(dim=1) / steps[:, None]  # (B, T, d): mean of positions 0..t
        return torch.tanh(prefix_mean @ self.mix + e) @ self.out  # (B, T, V)


def bigram_spec(table: torch.Tensor, max_len: int | None = None) -> dict:
    return {"kind": "bigram", "table": table, "max_len": max_len}


def prefix_mean_spec(
    vocab_size: int,
    d: int,
    gen: torch.Generator,
    device: str = "cpu",
    dtype: torch.dtype = torch.float64,
    scale: float = 3.0,
    max_len: int | None = None,
) -> dict:
    """Random weights drawn on the CPU from ``gen`` (the same model on every device); ``scale`` sets how peaked."""

    def draw(*shape: int, factor: float) -> torch.Tensor:
        return (torch.randn(*shape, generator=gen, dtype=torch.float64) * factor).to(device=device, dtype=dtype)

    return {
        "kind": "prefix_mean",
        "emb": draw(vocab_size, d, factor=1.0),
        "mix": draw(d, d, factor=d**-0.5),
        "out": draw(d, vocab_size, factor=scale * d**-0.5),
        "max_len": max_len,
    }


def build(spec: dict) -> CountingLM:
    """The model a spec describes (specs come from the tests, so an unknown kind is a test's mistake)."""
    kind = spec["kind"]
    if kind == "bigram":
        return BigramLM(spec["table"], spec.get("max_len"))
    if kind == "prefix_mean":
        return PrefixMeanLM(spec["emb"], spec["mix"], spec["out"], spec.get("max_len"))
    raise ValueError(f"unknown model kind {kind!r}")


def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"{str(value.dtype).removeprefix('torch.')} {tuple(value.shape)}"
    return type(value).__name__
