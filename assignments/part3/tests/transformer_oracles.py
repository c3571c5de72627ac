"""What the Part 3 tests compare with: PyTorch's own modules in float64, fed the weights the test chose.

Learners may not call ``F.layer_norm`` or ``nn.MultiheadAttention``; the tests
may, as oracles. Weights are drawn here from the test's generator with exactly
the state_dict keys of the contract, loaded into the learner's module with
``load_state_dict(strict=True)``, and handed to the oracle as well.
Also here: counting the tensor operations of one call, for the vectorisation tests.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from autograder.shared.inputs import randn


def _linear(prefix: str, d_in: int, d_out: int, gen, bias: bool = True) -> dict[str, torch.Tensor]:
    state = {f"{prefix}weight": randn(d_out, d_in, gen=gen, dtype=torch.float64, scale=1 / math.sqrt(d_in))}
    if bias:
        state[f"{prefix}bias"] = randn(d_out, gen=gen, dtype=torch.float64, scale=0.1)
    return state


def layer_norm_state(d: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    """weight near 1 and bias near 0, but not exactly, so that swapping them shows."""
    return {
        f"{prefix}weight": 1 + randn(d, gen=gen, dtype=torch.float64, scale=0.2),
        f"{prefix}bias": randn(d, gen=gen, dtype=torch.float64, scale=0.2),
    }


def mha_state(d: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    state: dict[str, torch.Tensor] = {}
    for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
        state |= _linear(f"{prefix}{name}.", d, d, gen)
    return state


def ff_state(d: int, d_ff: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    return _linear(f"{prefix}fc1.", d, d_ff, gen) | _linear(f"{prefix}fc2.", d_ff, d, gen)


def block_state(d: int, d_ff: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    return (
        layer_norm_state(d, gen, f"{prefix}ln1.")
        | mha_state(d, gen, f"{prefix}attn.")
        | layer_norm_state(d, gen, f"{prefix}ln2.")
        | ff_state(d, d_ff, gen, f"{prefix}ff.")
    )


def lm_state(vocab: int, d: int, d_ff: int, n_layers: int, max_len: int, gen) -> dict[str, torch.Tensor]:
    state = {
        "tok_emb.weight": randn(vocab, d, gen=gen, dtype=torch.float64),
        "pos_emb.weight": randn(max_len, d, gen=gen, dtype=torch.float64),
    }
    for layer in range(n_layers):
        state |= block_state(d, d_ff, gen, f"blocks.{layer}.")
    return state | layer_norm_state(d, gen, "ln_f.") | _linear("head.", d, vocab, gen, bias=False)


# -- oracles (float64, CPU) -----------------------------------------------------


def _cpu64(t: torch.Tensor | None) -> torch.Tensor | None:
    return None if t is None else t.detach().to("cpu", torch.float64 if t.is_floating_point() else t.dtype)


def _sub(state: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    return {k.removeprefix(prefix): _cpu64(v) for k, v in state.items() if k.startswith(prefix)}


def layer_norm_oracle(state, x: torch.Tensor, eps: float = 1e-5, prefix: str = "") -> torch.Tensor:
    s, x = _sub(state, prefix), _cpu64(x)
    return F.layer_norm(x, (x.shape[-1],), s["weight"], s["bias"], eps)


def attention_oracle(q, k, v, mask=None) -> tuple[torch.Tensor, torch.Tensor]:
    """PyTorch's scaled_dot_product_attention for the output, the softmax written out for the weights."""
    q, k, v, mask = _cpu64(q), _cpu64(k), _cpu64(v), _cpu64(mask)
    if mask is not None:  # spelled out to the scores' shape, which PyTorch's attention needs for a 1-D mask
        scores_shape = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2]) + (q.shape[-2], k.shape[-2])
        mask = mask.expand(torch.broadcast_shapes(mask.shape, scores_shape))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return out, torch.softmax(scores, dim=-1)


def mha_oracle(state, n_heads: int, x, context=None, mask=None, prefix: str = "") -> torch.Tensor:
    """``nn.MultiheadAttention`` (batch_first) with in_proj = [q_proj; k_proj; v_proj]."""
    s, x = _sub(state, prefix), _cpu64(x)
    context = x if context is None else _cpu64(context)
    d = x.shape[-1]
    mha = nn.MultiheadAttention(d, n_heads, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([s[f"{n}_proj.weight"] for n in "qkv"]))
        mha.in_proj_bias.copy_(torch.cat([s[f"{n}_proj.bias"] for n in "qkv"]))
        mha.out_proj.weight.copy_(s["out_proj.weight"])
        mha.out_proj.bias.copy_(s["out_proj.bias"])
    attn_mask = None
    if mask is not None:  # nn.MultiheadAttention: True means "may NOT attend", one (T, S) slice per batch x head
        B, T, S = x.shape[0], x.shape[1], context.shape[1]
        attn_mask = ~_cpu64(mask).expand(B, n_heads, T, S).reshape(B * n_heads, T, S)
    with torch.no_grad():
        out, _ = mha(x, context, context, attn_mask=attn_mask, need_weights=False)
    return out


def ff_oracle(state, x, prefix: str = "") -> torch.Tensor:
    s, x = _sub(state, prefix), _cpu64(x)
    hidden = torch.relu(x @ s["fc1.weight"].T + s["fc1.bias"])
    return hidden @ s["fc2.weight"].T + s["fc2.bias"]


def block_oracle(state, n_heads: int, x, mask=None, prefix: str = "") -> torch.Tensor:
    x = _cpu64(x)
    h = x + mha_oracle(
        state, n_heads, layer_norm_oracle(state, x, prefix=f"{prefix}ln1."), mask=mask, prefix=f"{prefix}attn."
    )
    return h + ff_oracle(state, layer_norm_oracle(state, h, prefix=f"{prefix}ln2."), prefix=f"{prefix}ff.")


def lm_oracle(state, n_heads: int, idx: torch.Tensor) -> torch.Tensor:
    s, idx = _sub(state, ""), idx.detach().cpu()
    T = idx.shape[1]
    x = s["tok_emb.weight"][idx] + s["pos_emb.weight"][:T]
    mask = torch.ones(T, T, dtype=torch.bool).tril()
    n_layers = len({k.split(".")[1] for k in s if k.startswith("blocks.")})
    for layer in range(n_layers):
        x = block_oracle(s, n_heads, x, mask, prefix=f"blocks.{layer}.")
    return layer_norm_oracle(s, x, prefix="ln_f.") @ s["head.weight"].T


# -- vectorisation ---------------------------------------------------------------


def op_count(impl, call, *args, **kwargs) -> int:
    """How many torch functions one guarded call of the learner's code made (read from the harness's recording)."""
    call(*args, **kwargs)
    return impl.last_record.total_functions
