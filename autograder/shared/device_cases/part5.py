"""Device checks of Part 5 (a modern language model): one entry per API with tensors, see ``__init__.py``.

Three APIs have no device case, because no tensor goes in or comes out:
``cosine_lr`` maps step numbers to a Python float, and ``train_bpe`` and
``BPETokenizer`` turn ``str`` into ``bytes`` and lists of ``int`` and back.
Where their results meet tensors (the learning rate inside ``train_lm``, token
ids turned into a tensor by the caller) the device is the caller's to choose.

``AdamW`` and ``clip_grad_norm`` work on parameters, which the run makes on the
device from the drawn tensors (each with its gradient), as a training loop would
hand them over after ``model.to(device)``.
"""

import torch

from autograder.shared.device_cases import DeviceCase, call, with_device

D_MODEL, N_HEADS, N_KV_HEADS, D_FF, VOCAB, WINDOW = 16, 4, 2, 24, 11, 3
D_HEAD = D_MODEL // N_HEADS


def _parameters(values: list, grads: list) -> list[torch.nn.Parameter]:
    """Parameters holding ``values``, each with its gradient set (the tensors are already on the device)."""
    params = [torch.nn.Parameter(v) for v in values]
    for p, g in zip(params, grads, strict=True):
        p.grad = g
    return params


def _adamw_run(adamw, values, grads, *, device: str, **hyper):
    """Two steps of the learner's AdamW (its state is made at the first), then the parameters."""
    params = _parameters(values, grads)
    optimizer = adamw(params, **hyper)
    optimizer.step()
    optimizer.step()
    return params


def _clip_run(clip_grad_norm, values, grads, max_norm, *, device: str):
    """The norm returned, then the gradients as clipped in place."""
    params = _parameters(values, grads)
    return [clip_grad_norm(params, max_norm), [p.grad for p in params]]


def _attention_run(attention, x, past_kv, *, device: str):
    """One call continuing the drawn cache: positions after T_past, the cache grown (ModernLM covers no cache)."""
    return attention(x, past_kv=past_kv)


def _language_model_run(model, idx, *, device: str):
    """The logits and caches of a prompt, then a two-token greedy continuation (its second step uses the cache)."""
    return [model(idx), model.generate(idx, 2)]


def _kv(d, T: int) -> tuple:
    return (d.randn(2, N_KV_HEADS, T, D_HEAD), d.randn(2, N_KV_HEADS, T, D_HEAD))  # (B, H_kv, T_past, d_head) each


def _parameter_tensors(d) -> list:
    return [d.randn(4, 3), d.randn(3)]


CASES = (
    DeviceCase("RMSNorm", lambda d: call(d.randn(2, 5, D_MODEL)), build=lambda d: call(D_MODEL)),
    DeviceCase("silu", lambda d: call(d.randn(3, 5))),
    DeviceCase("SwiGLU", lambda d: call(d.randn(2, 5, D_MODEL)), build=lambda d: call(D_MODEL, D_FF)),
    DeviceCase("rope", lambda d: call(d.randn(2, N_HEADS, 5, D_HEAD), torch.arange(3, 8))),
    DeviceCase("sliding_window_mask", lambda d: call(6, WINDOW), run=with_device),
    DeviceCase(
        "GroupedQueryAttention",
        lambda d: call(d.randn(2, 5, D_MODEL), _kv(d, 4)),
        build=lambda d: call(D_MODEL, N_HEADS, N_KV_HEADS, window=WINDOW),
        run=_attention_run,
    ),
    DeviceCase(
        "ModernBlock",
        lambda d: call(d.randn(2, 5, D_MODEL), past_kv=_kv(d, 4)),
        build=lambda d: call(D_MODEL, N_HEADS, N_KV_HEADS, D_FF, window=WINDOW),
    ),
    DeviceCase(
        "ModernLM",
        lambda d: call(d.tokens(2, 4, vocab=VOCAB)),
        build=lambda d: call(VOCAB, D_MODEL, 1, N_HEADS, N_KV_HEADS, D_FF, window=WINDOW),
        run=_language_model_run,
    ),
    DeviceCase("get_batch", lambda d: call(d.tokens(40, vocab=VOCAB), 4, 6, generator=d.gen)),
    DeviceCase(
        "AdamW",
        lambda d: call(_parameter_tensors(d), _parameter_tensors(d), lr=0.01, weight_decay=0.1),
        run=_adamw_run,
    ),
    DeviceCase("clip_grad_norm", lambda d: call(_parameter_tensors(d), _parameter_tensors(d), 0.5), run=_clip_run),
    DeviceCase(
        "train_lm",
        lambda d: call(
            d.impl.ModernLM(VOCAB, D_MODEL, 1, N_HEADS, N_KV_HEADS, D_FF),
            d.tokens(40, vocab=VOCAB),
            steps=1,
            batch_size=2,
            context_len=4,
            max_lr=0.01,
            generator=d.gen,
        ),
        reads_values=True,
    ),
)
