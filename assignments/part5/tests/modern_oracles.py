"""What the Part 5 tests compare with: PyTorch's own operations in float64, and plain re-statements of the contract.

Learners may not call ``F.rms_norm``, ``F.silu`` or
``F.scaled_dot_product_attention``; the tests may, as oracles. RoPE is checked
against a rotation written with complex numbers, BPE against a slow training
loop that recounts every pair of every pre-token for each merge. Weights are
drawn from the test's generator with exactly the contract's state_dict keys.
"""

import math
import re

import torch
import torch.nn.functional as F
from torch.optim.adam import adam as torch_adam

from autograder.shared.inputs import randn

PRETOKEN = r" ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+"


# -- weights --------------------------------------------------------------------


def _weight(name: str, d_in: int, d_out: int, gen) -> dict[str, torch.Tensor]:
    return {name: randn(d_out, d_in, gen=gen, dtype=torch.float64, scale=1 / math.sqrt(d_in))}


def rms_state(d: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    """A weight near 1 but not exactly, so that a forgotten weight shows."""
    return {f"{prefix}weight": 1 + randn(d, gen=gen, dtype=torch.float64, scale=0.2)}


def swiglu_state(d: int, d_ff: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    return (
        _weight(f"{prefix}w1.weight", d, d_ff, gen)
        | _weight(f"{prefix}w2.weight", d_ff, d, gen)
        | _weight(f"{prefix}w3.weight", d, d_ff, gen)
    )


def gqa_state(d: int, n_heads: int, n_kv_heads: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    d_kv = n_kv_heads * (d // n_heads)
    return (
        _weight(f"{prefix}q_proj.weight", d, d, gen)
        | _weight(f"{prefix}k_proj.weight", d, d_kv, gen)
        | _weight(f"{prefix}v_proj.weight", d, d_kv, gen)
        | _weight(f"{prefix}o_proj.weight", d, d, gen)
    )


def block_state(d: int, n_heads: int, n_kv_heads: int, d_ff: int, gen, prefix: str = "") -> dict[str, torch.Tensor]:
    return (
        rms_state(d, gen, f"{prefix}attn_norm.")
        | gqa_state(d, n_heads, n_kv_heads, gen, f"{prefix}attn.")
        | rms_state(d, gen, f"{prefix}ffn_norm.")
        | swiglu_state(d, d_ff, gen, f"{prefix}ffn.")
    )


def lm_state(config: dict, gen) -> dict[str, torch.Tensor]:
    """Weights for ``ModernLM(**config)``."""
    c = config
    state = {"tok_emb.weight": randn(c["vocab_size"], c["d_model"], gen=gen, dtype=torch.float64)}
    for layer in range(c["n_layers"]):
        state |= block_state(c["d_model"], c["n_heads"], c["n_kv_heads"], c["d_ff"], gen, f"blocks.{layer}.")
    return state | rms_state(c["d_model"], gen, "norm.") | _weight("head.weight", c["d_model"], c["vocab_size"], gen)


def sub_state(state: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    return {k.removeprefix(prefix): v for k, v in state.items() if k.startswith(prefix)}


# -- oracles (float64, CPU) ---------------------------------------------------------


def cpu64(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to("cpu", torch.float64)


def rms_norm_oracle(weight: torch.Tensor, x: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    return F.rms_norm(cpu64(x), (x.shape[-1],), cpu64(weight), eps)


def swiglu_oracle(state: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    x = cpu64(x)
    gate = F.silu(F.linear(x, state["w1.weight"])) * F.linear(x, state["w3.weight"])
    return F.linear(gate, state["w2.weight"])


def rope_oracle(x: torch.Tensor, positions: torch.Tensor, theta: float = 10000.0) -> torch.Tensor:
    """Pairs (x[2i], x[2i+1]) as complex numbers x[2i] + j x[2i+1], multiplied by exp(j p theta^(-2i/d))."""
    x = cpu64(x)
    d = x.shape[-1]
    pairs = torch.view_as_complex(x.reshape(*x.shape[:-1], d // 2, 2).contiguous())  # (..., T, d/2)
    frequencies = theta ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # (d/2,)
    angles = positions.cpu().double()[:, None] * frequencies  # (T, d/2)
    return torch.view_as_real(pairs * torch.polar(torch.ones_like(angles), angles)).reshape(x.shape)


def window_mask_oracle(T_q: int, T_k: int, window: int | None, offset: int = 0) -> torch.Tensor:
    """(T_q, T_k): query i (at position offset + i) may see key j when 0 <= offset + i - j < window."""
    mask = torch.ones(T_q, T_k, dtype=torch.bool).tril(offset)
    if window is not None:
        mask &= ~torch.ones(T_q, T_k, dtype=torch.bool).tril(offset - window)
    return mask


def gqa_oracle(state, n_heads: int, n_kv_heads: int, x, window=None, theta=10000.0):
    """(out, (k, v)) of grouped-query attention over the whole of ``x`` (B, T, d), through PyTorch's attention."""
    x = cpu64(x)
    B, T, d = x.shape
    d_head = d // n_heads

    def heads(t, n):  # (B, T, n * d_head) -> (B, n, T, d_head)
        return t.view(B, T, n, d_head).transpose(1, 2)

    positions = torch.arange(T)
    q = rope_oracle(heads(F.linear(x, state["q_proj.weight"]), n_heads), positions, theta)
    k = rope_oracle(heads(F.linear(x, state["k_proj.weight"]), n_kv_heads), positions, theta)
    v = heads(F.linear(x, state["v_proj.weight"]), n_kv_heads)
    mask = window_mask_oracle(T, T, window)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)  # (B, H, T, d_head)
    return F.linear(out.transpose(1, 2).reshape(B, T, d), state["o_proj.weight"]), (k, v)


def block_oracle(state, n_heads, n_kv_heads, x, window=None, theta=10000.0):
    x = cpu64(x)
    attended, kv = gqa_oracle(
        sub_state(state, "attn."), n_heads, n_kv_heads, rms_norm_oracle(state["attn_norm.weight"], x), window, theta
    )
    h = x + attended
    return h + swiglu_oracle(sub_state(state, "ffn."), rms_norm_oracle(state["ffn_norm.weight"], h)), kv


def lm_oracle(state, config: dict, idx: torch.Tensor):
    """(logits, [(k, v) per block]) of ``ModernLM(**config)`` with ``state`` on all of ``idx``."""
    x = F.embedding(idx.cpu(), state["tok_emb.weight"])
    kvs = []
    for layer in range(config["n_layers"]):
        x, kv = block_oracle(
            sub_state(state, f"blocks.{layer}."),
            config["n_heads"],
            config["n_kv_heads"],
            x,
            config.get("window"),
            config.get("theta", 10000.0),
        )
        kvs.append(kv)
    return F.linear(rms_norm_oracle(state["norm.weight"], x), state["head.weight"]), kvs


def greedy_oracle(state, config: dict, idx: torch.Tensor, max_new_tokens: int) -> torch.Tensor:
    """Greedy decoding by recomputing the whole sequence at every step (no cache)."""
    idx = idx.cpu()
    for _step in range(max_new_tokens):
        logits, _ = lm_oracle(state, config, idx)
        idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    return idx


# -- BPE ----------------------------------------------------------------------------


def split_at_specials(text: str, special_tokens) -> list[str]:
    if not special_tokens:
        return [text]
    pattern = "(" + "|".join(re.escape(s) for s in sorted(special_tokens, key=len, reverse=True)) + ")"
    return [piece for piece in re.split(pattern, text) if piece]


def naive_bpe(text: str, vocab_size: int, special_tokens=()) -> tuple[dict[int, bytes], list[tuple[bytes, bytes]]]:
    """The contract's training loop, as plainly as it can be written: every pair recounted for every merge."""
    vocab = dict(enumerate(bytes([value]) for value in range(256)))
    vocab |= {256 + index: special.encode() for index, special in enumerate(special_tokens)}
    words = [
        [bytes([b]) for b in match.group().encode("utf-8")]
        for piece in split_at_specials(text, special_tokens)
        if piece not in special_tokens
        for match in re.finditer(PRETOKEN, piece)
    ]
    merges = []
    while len(vocab) < vocab_size:
        counts: dict[tuple[bytes, bytes], int] = {}
        for word in words:
            for pair in zip(word, word[1:], strict=False):
                counts[pair] = counts.get(pair, 0) + 1
        if not counts:
            break
        best = max(counts, key=lambda pair: (counts[pair], pair))
        merges.append(best)
        vocab[len(vocab)] = best[0] + best[1]
        words = [_merged(word, best) for word in words]
    return vocab, merges


def _merged(word: list[bytes], pair: tuple[bytes, bytes]) -> list[bytes]:
    out, i = [], 0
    while i < len(word):
        if word[i : i + 2] == list(pair):
            out.append(pair[0] + pair[1])
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


def random_text(gen: torch.Generator, n: int, alphabet: str) -> str:
    """``n`` characters drawn from ``alphabet`` with the test's generator."""
    picks = torch.randint(0, len(alphabet), (n,), generator=gen).tolist()
    return "".join(alphabet[i] for i in picks)


# Letters, digits, punctuation, runs of spaces, tabs and newlines, accents, CJK, emoji (4-byte UTF-8), a
# combining mark, a zero-width joiner, a right-to-left letter and a lone control character.
UNICODE_ALPHABET = "ab cdXYZ019.,!?'   \t\n\n\r\u00e9\u00fc\u00df\u4e2d\u6587\U0001f600\U0001f389\u0301\u200d\u05d0\x00"


def op_count(impl, call, *args, **kwargs) -> int:
    """How many torch functions one guarded call of the learner's code made (read from the harness's recording)."""
    call(*args, **kwargs)
    return impl.last_record.total_functions


# -- AdamW --------------------------------------------------------------------------


def adamw_oracle(initial, grads, lrs=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
    """The parameters after each step of PyTorch's own AdamW update, driven step by step.

    PyTorch's functional ``adam`` with ``decoupled_weight_decay=True`` is the function
    ``torch.optim.AdamW.step`` calls for each parameter group (tests/course checks
    they agree); the optimizer object itself imports torch._dynamo on its first
    step, a second of start-up for every test run. ``grads[s][i]`` is None when
    parameter i has no gradient at step s; ``lrs[s]``, when given, is step s's lr.
    """
    params = [t.detach().clone() for t in initial]
    moments = [(torch.zeros_like(p), torch.zeros_like(p), torch.zeros((), dtype=torch.float32)) for p in params]
    trajectory = []
    for step, step_grads in enumerate(grads):
        for p, g, (m, v, count) in zip(params, step_grads, moments, strict=True):
            if g is None:
                continue
            torch_adam(
                [p], [g.detach().clone()], [m], [v], [], [count], foreach=False, decoupled_weight_decay=True,
                amsgrad=False, beta1=betas[0], beta2=betas[1], lr=lr if lrs is None else lrs[step],
                weight_decay=weight_decay, eps=eps, maximize=False,
            )  # fmt: skip
        trajectory.append([p.clone() for p in params])
    return trajectory
