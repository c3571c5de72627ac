"""Device checks of Part 3 (attention and the Transformer): one entry per API, see ``__init__.py``."""

import torch

from autograder.shared.device_cases import DeviceCase, call, with_device

D_MODEL, N_HEADS, D_FF, VOCAB, MAX_LEN = 16, 4, 24, 11, 8


def _causal(T: int) -> torch.Tensor:
    return torch.ones(T, T, dtype=torch.bool).tril()  # (T, T), True on and below the diagonal


def _attention_run(attention, x, mask, *, device: str):
    """Self-attention under a causal mask."""
    return attention(x, mask=mask)


def _language_model_run(model, idx, *, device: str):
    """The logits of a batch, then a one-token greedy continuation."""
    return [model(idx), model.generate(idx, 1)]


CASES = (
    DeviceCase(
        "scaled_dot_product_attention",
        lambda d: call(d.randn(2, 5, 8), d.randn(2, 6, 8), d.randn(2, 6, 4), _causal(6)[:5]),
    ),
    DeviceCase("causal_mask", lambda d: call(6), run=with_device),
    DeviceCase(
        "MultiHeadAttention",
        lambda d: call(d.randn(2, 5, D_MODEL), _causal(5)),
        build=lambda d: call(D_MODEL, N_HEADS),
        run=_attention_run,
    ),
    DeviceCase("LayerNorm", lambda d: call(d.randn(2, 5, D_MODEL)), build=lambda d: call(D_MODEL)),
    DeviceCase("FeedForward", lambda d: call(d.randn(2, 5, D_MODEL)), build=lambda d: call(D_MODEL, D_FF)),
    DeviceCase(
        "TransformerBlock",
        lambda d: call(d.randn(2, 5, D_MODEL), mask=_causal(5)),
        build=lambda d: call(D_MODEL, N_HEADS, D_FF),
    ),
    DeviceCase(
        "TransformerLM",
        lambda d: call(d.tokens(2, 5, vocab=VOCAB)),
        build=lambda d: call(VOCAB, D_MODEL, N_HEADS, D_FF, 1, MAX_LEN),
        run=_language_model_run,
    ),
)
