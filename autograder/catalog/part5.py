"""Part 5 catalog: mistakes learners really make with the modern recipe, and correct solutions written differently.

Classes subclass the reference and override one method, so each entry changes
exactly one API name (the reference's other classes keep using the reference).
"""

import math
import re

import torch
import torch.nn.functional as F

from autograder.catalog.registry import bug, variant
from solutions.part5.adamw import AdamW as ReferenceAdamW
from solutions.part5.batches import get_batch as reference_get_batch
from solutions.part5.bpe import PRETOKEN, split_special
from solutions.part5.bpe import BPETokenizer as ReferenceTokenizer
from solutions.part5.clipping import clip_grad_norm as reference_clip
from solutions.part5.gqa import GroupedQueryAttention as ReferenceGQA
from solutions.part5.masks import sliding_window_mask as reference_mask
from solutions.part5.modern_block import ModernBlock as ReferenceBlock
from solutions.part5.modern_lm import ModernLM as ReferenceLM
from solutions.part5.rms_norm import RMSNorm as ReferenceRMSNorm
from solutions.part5.rope import rope as reference_rope
from solutions.part5.schedule import cosine_lr as reference_cosine_lr
from solutions.part5.swiglu import SwiGLU as ReferenceSwiGLU
from solutions.part5.swiglu import silu as reference_silu

# -- RMSNorm ------------------------------------------------------------------------------


@bug("RMSNorm", "subtracts the mean first (LayerNorm without a bias)")
class RMSNormCentred(ReferenceRMSNorm):
    def forward(self, x):
        work = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
        centred = work - work.mean(-1, keepdim=True)
        return (centred * torch.rsqrt((centred**2).mean(-1, keepdim=True) + self.eps) * self.weight).to(x.dtype)


@bug("RMSNorm", "adds eps outside the square root")
class RMSNormEpsOutside(ReferenceRMSNorm):
    def forward(self, x):
        work = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
        return (work / (torch.sqrt((work**2).mean(-1, keepdim=True)) + self.eps) * self.weight).to(x.dtype)


@bug("RMSNorm", "squares and averages in the input's own dtype (float16 overflows)")
class RMSNormNoUpcast(ReferenceRMSNorm):
    def forward(self, x):
        return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + self.eps) * self.weight.to(x.dtype)


@variant("RMSNorm", "the root mean square from torch.linalg.vector_norm, half precision through .float()")
class RMSNormVectorNorm(ReferenceRMSNorm):
    def forward(self, x):
        work = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
        mean_square = torch.linalg.vector_norm(work, dim=-1, keepdim=True) ** 2 / x.shape[-1]
        return (work / torch.sqrt(mean_square + self.eps) * self.weight).to(x.dtype)


# -- silu ----------------------------------------------------------------------------------


@bug("silu", "returns sigmoid(x), forgetting the factor x")
def silu_sigmoid_only(x):
    return torch.sigmoid(x)


@bug("silu", "confuses SiLU with the sigmoid approximation of GELU, x * sigmoid(1.702 x)")
def silu_gelu_approximation(x):
    return x * torch.sigmoid(1.702 * x)


@variant("silu", "x / (1 + exp(-x))")
def silu_divide(x):
    return x / (1 + torch.exp(-x))


# -- SwiGLU ----------------------------------------------------------------------------------


@bug("SwiGLU", "puts silu on w3(x) instead of w1(x)")
class SwiGLUGateSwapped(ReferenceSwiGLU):
    def forward(self, x):
        return self.w2(self.w1(x) * reference_silu(self.w3(x)))


@bug("SwiGLU", "applies silu after the product")
class SwiGLUSiluAfter(ReferenceSwiGLU):
    def forward(self, x):
        return self.w2(reference_silu(self.w1(x) * self.w3(x)))


@variant("SwiGLU", "the sigmoid written inline")
class SwiGLUInline(ReferenceSwiGLU):
    def forward(self, x):
        gate = self.w1(x)
        return self.w2(gate * torch.sigmoid(gate) * self.w3(x))


# -- rope --------------------------------------------------------------------------------------


def _rope_with(x, positions, theta, angle_dtype=None, exponent_step=2, halves=False):
    """RoPE with one knob turned: angles in another dtype, another frequency law, or rotate-half pairs."""
    d = x.shape[-1]
    work = torch.promote_types(x.dtype, torch.float32)
    exponents = torch.arange(0, d, 2, device=x.device, dtype=work) * (exponent_step / 2) / d
    angles = positions.to(x.device, work)[:, None] * theta**-exponents  # (T, d/2)
    if angle_dtype is not None:
        angles = (positions.to(x.device, angle_dtype)[:, None] * (theta**-exponents).to(angle_dtype)).to(work)
    cos, sin = torch.cos(angles), torch.sin(angles)
    if halves:  # GPT-NeoX layout: pairs (i, i + d/2)
        first, second = x[..., : d // 2].to(work), x[..., d // 2 :].to(work)
        return torch.cat([first * cos - second * sin, first * sin + second * cos], dim=-1).to(x.dtype)
    even, odd = x[..., 0::2].to(work), x[..., 1::2].to(work)
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], dim=-1).flatten(-2).to(x.dtype)


@bug("rope", "computes the angles in float16")
def rope_half_angles(x, positions, theta=10000.0):
    return _rope_with(x, positions, theta, angle_dtype=torch.float16)


@bug("rope", "rotates the pairs (i, i + d/2) instead of (2i, 2i+1)")
def rope_rotate_half(x, positions, theta=10000.0):
    return _rope_with(x, positions, theta, halves=True)


@bug("rope", "frequencies theta^(-i/d) instead of theta^(-2i/d)")
def rope_wrong_frequencies(x, positions, theta=10000.0):
    return _rope_with(x, positions, theta, exponent_step=1)


@variant("rope", "complex multiplication with torch.polar")
def rope_complex(x, positions, theta=10000.0):
    work = torch.promote_types(x.dtype, torch.float32)
    d = x.shape[-1]
    pairs = torch.view_as_complex(x.to(work).reshape(*x.shape[:-1], d // 2, 2).contiguous())
    frequencies = 1.0 / theta ** (torch.arange(0, d, 2, device=x.device, dtype=work) / d)
    angles = torch.outer(positions.to(x.device, work), frequencies)
    rotated = pairs * torch.polar(torch.ones_like(angles), angles)
    return torch.view_as_real(rotated).reshape(x.shape).to(x.dtype)


# -- sliding_window_mask -------------------------------------------------------------------------


@bug("sliding_window_mask", "lets a query see window + 1 positions (i - j <= window)")
def mask_window_off_by_one(T, window=None, device=None):
    if window is None:
        return reference_mask(T, None, device)
    return reference_mask(T, window + 1, device)


@bug("sliding_window_mask", "ignores the window (always the plain causal mask)")
def mask_ignores_window(T, window=None, device=None):
    return reference_mask(T, None, device)


@variant("sliding_window_mask", "a lower triangle minus a lower band")
def mask_triangles(T, window=None, device=None):
    ones = torch.ones(T, T, dtype=torch.bool, device=device)
    return ones.tril() if window is None else ones.tril() & ~ones.tril(-window)


# -- GroupedQueryAttention -------------------------------------------------------------------------


class _GQAWith(ReferenceGQA):
    """The reference's forward with one knob turned (set in a subclass)."""

    cache_wide = False  # store keys and values already expanded to n_heads
    plain_repeat = False  # head h reads kv head h % n_kv_heads
    restart_positions = False  # every call rotates from position 0
    broadcast_groups = False  # (a correct alternative) group the query heads instead of repeating kv heads
    cpu_mask = False  # the mask built without device=x.device

    def forward(self, x, past_kv=None):
        B, T, d_model = x.shape
        t_past = 0 if past_kv is None else past_kv[0].shape[2]
        group = self.n_heads // self.n_kv_heads
        q = self.q_proj(x).view(B, T, self.n_heads, self.d_head).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.n_kv_heads, self.d_head).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.n_kv_heads, self.d_head).transpose(1, 2)
        start = 0 if self.restart_positions else t_past
        positions = torch.arange(start, start + T, device=x.device)
        q, k = reference_rope(q, positions, self.theta), reference_rope(k, positions, self.theta)
        if self.cache_wide or self.plain_repeat:
            expand = (lambda t: t.repeat(1, group, 1, 1)) if self.plain_repeat else (
                lambda t: t.repeat_interleave(group, dim=1)
            )  # fmt: skip
            k, v = expand(k), expand(v)
        if past_kv is not None:
            k, v = torch.cat([past_kv[0], k], dim=2), torch.cat([past_kv[1], v], dim=2)
        mask = reference_mask(t_past + T, self.window, device=None if self.cpu_mask else x.device)[-T:]  # (T, T_total)
        if self.broadcast_groups:
            qg = q.view(B, self.n_kv_heads, group, T, self.d_head)  # (B, H_kv, G, T, d_head)
            scores = qg @ k[:, :, None].transpose(-2, -1) / math.sqrt(self.d_head)  # (B, H_kv, G, T, T_total)
            weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
            out = (weights @ v[:, :, None]).reshape(B, self.n_heads, T, self.d_head)
        else:
            keys = k if k.shape[1] == self.n_heads else k.repeat_interleave(group, dim=1)
            values = v if v.shape[1] == self.n_heads else v.repeat_interleave(group, dim=1)
            scores = q @ keys.transpose(-2, -1) / math.sqrt(self.d_head)
            weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
            out = weights @ values
        return self.o_proj(out.transpose(1, 2).reshape(B, T, d_model)), (k, v)


@bug("GroupedQueryAttention", "caches keys and values n_heads wide instead of n_kv_heads")
class GQAWideCache(_GQAWith):
    cache_wide = True


@bug("GroupedQueryAttention", "repeats the kv heads with repeat (head h reads kv head h % n_kv_heads)")
class GQAPlainRepeat(_GQAWith):
    plain_repeat = True


@bug("GroupedQueryAttention", "rotates every call from position 0, ignoring the cache's length")
class GQARestartPositions(_GQAWith):
    restart_positions = True


@variant("GroupedQueryAttention", "groups the query heads and broadcasts over the kv heads")
class GQABroadcast(_GQAWith):
    broadcast_groups = True


# -- ModernBlock ------------------------------------------------------------------------------------


@bug("ModernBlock", "post-norm: normalises after each residual addition")
class BlockPostNorm(ReferenceBlock):
    def forward(self, x, past_kv=None):
        attended, kv = self.attn(x, past_kv)
        h = self.attn_norm(x + attended)
        return self.ffn_norm(h + self.ffn(h)), kv


@bug("ModernBlock", "feeds the feed-forward ffn_norm(x) instead of ffn_norm(h)")
class BlockFfnOnInput(ReferenceBlock):
    def forward(self, x, past_kv=None):
        attended, kv = self.attn(self.attn_norm(x), past_kv)
        return x + attended + self.ffn(self.ffn_norm(x)), kv


@variant("ModernBlock", "keyword arguments and one return expression")
class BlockKeywords(ReferenceBlock):
    def forward(self, x, past_kv=None):
        out = self.attn(x=self.attn_norm(x), past_kv=past_kv)
        h = out[0] + x
        return (h + self.ffn(self.ffn_norm(h)), out[1])


# -- ModernLM -----------------------------------------------------------------------------------------


@bug("ModernLM", "generate runs the whole sequence again at every step (no cache)")
class LMNoCacheGenerate(ReferenceLM):
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits, _ = self(idx)
            idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        return idx


@bug("ModernLM", "forward hands every block the first block's cache")
class LMSharedCache(ReferenceLM):
    def forward(self, idx, past_kvs=None):
        x = self.tok_emb(idx)
        present = []
        for block in self.blocks:
            x, kv = block(x, None if past_kvs is None else past_kvs[0])
            present.append(kv)
        return self.head(self.norm(x)), present


@bug("ModernLM", "generate feeds the whole sequence together with the cache")
class LMWholeSequenceWithCache(ReferenceLM):
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        logits, kvs = self(idx)
        for _ in range(max_new_tokens):
            idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
            logits, kvs = self(idx, kvs)
        return idx


@variant("ModernLM", "generate writes into a preallocated tensor and runs the last token once more")
class LMPreallocated(ReferenceLM):
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        B, T = idx.shape
        out = torch.empty(B, T + max_new_tokens, dtype=idx.dtype, device=idx.device)
        out[:, :T] = idx
        logits, kvs = self(idx)
        for t in range(T, T + max_new_tokens):
            out[:, t] = logits[:, -1].argmax(-1)
            logits, kvs = self(out[:, t : t + 1], kvs)
        return out


# -- get_batch ------------------------------------------------------------------------------------------


@bug("get_batch", "never draws the last valid start")
def get_batch_short(data, batch_size, context_len, generator=None):
    starts = torch.randint(0, len(data) - context_len - 1, (batch_size,), generator=generator)
    windows = data[(starts[:, None] + torch.arange(context_len + 1)).to(data.device)]
    return windows[:, :-1], windows[:, 1:]


@bug("get_batch", "ignores the generator (draws from torch's global generator)")
def get_batch_global_rng(data, batch_size, context_len, generator=None):
    return reference_get_batch(data, batch_size, context_len, None)


@variant("get_batch", "windows from Tensor.unfold")
def get_batch_unfold(data, batch_size, context_len, generator=None):
    starts = torch.randint(0, len(data) - context_len, (batch_size,), generator=generator).to(data.device)
    windows = data.unfold(0, context_len + 1, 1)[starts]  # (batch_size, context_len + 1)
    return windows[:, :-1].contiguous(), windows[:, 1:].contiguous()


# -- AdamW ----------------------------------------------------------------------------------------------


class _AdamWWith(ReferenceAdamW):
    """The reference's update with one knob turned (set in a subclass)."""

    shared_step = False  # one step counter for every parameter
    l2 = False  # weight decay added to the gradient (Adam + L2, not AdamW)
    fixed_lr = False  # the lr of __init__, whatever param_groups say later
    cpu_state = False  # moments from torch.zeros(p.shape, dtype=p.dtype), without the parameter's device

    @torch.no_grad()
    def step(self, closure=None):
        self._t = getattr(self, "_t", 0) + 1
        for group in self.param_groups:
            lr = self.defaults["lr"] if self.fixed_lr else group["lr"]
            (beta1, beta2), eps, decay = group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    if self.cpu_state:
                        state.update(
                            step=0, m=torch.zeros(p.shape, dtype=p.dtype), v=torch.zeros(p.shape, dtype=p.dtype)
                        )
                    else:
                        state.update(step=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                state["step"] += 1
                t = self._t if self.shared_step else state["step"]
                g = p.grad + decay * p if self.l2 else p.grad
                if not self.l2:
                    p.mul_(1 - lr * decay)
                state["m"].mul_(beta1).add_(g, alpha=1 - beta1)
                state["v"].mul_(beta2).addcmul_(g, g, value=1 - beta2)
                m_hat = state["m"] / (1 - beta1**t)
                v_hat = state["v"] / (1 - beta2**t)
                p.sub_(lr * m_hat / (v_hat.sqrt() + eps))


@bug("AdamW", "one step counter shared by every parameter")
class AdamWSharedStep(_AdamWWith):
    shared_step = True


@bug("AdamW", "adds the weight decay to the gradient (Adam with L2)")
class AdamWL2(_AdamWWith):
    l2 = True


@bug("AdamW", "keeps the lr given to __init__ and ignores param_groups")
class AdamWFixedLr(_AdamWWith):
    fixed_lr = True


@variant("AdamW", "explicit bias-corrected moments m_hat and v_hat")
class AdamWExplicit(_AdamWWith):
    pass


# -- cosine_lr ------------------------------------------------------------------------------------------


@bug("cosine_lr", "decays over total_steps + 1 steps, so it never reaches min_lr")
def cosine_never_min(step, max_lr, min_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    progress = min(step - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps + 1)
    return min_lr + (1 + math.cos(math.pi * progress)) / 2 * (max_lr - min_lr)


@bug("cosine_lr", "warmup starts at max_lr / warmup_steps ((step + 1) / warmup_steps)")
def cosine_warmup_plus_one(step, max_lr, min_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return max_lr * (step + 1) / warmup_steps
    return reference_cosine_lr(step, max_lr, min_lr, warmup_steps, total_steps)


@bug("cosine_lr", "keeps following the cosine after total_steps (it rises again)")
def cosine_no_floor(step, max_lr, min_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return max_lr * step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (1 + math.cos(math.pi * progress)) / 2 * (max_lr - min_lr)


@variant("cosine_lr", "max_lr minus the cosine's rise, with min() for the floor")
def cosine_from_max(step, max_lr, min_lr, warmup_steps, total_steps):
    if step < warmup_steps:
        return step / warmup_steps * max_lr
    progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    return max_lr - (max_lr - min_lr) * (1 - math.cos(math.pi * progress)) / 2


# -- clip_grad_norm ---------------------------------------------------------------------------------------


@bug("clip_grad_norm", "clips each gradient by its own norm")
def clip_each(params, max_norm, eps=1e-6):
    grads = [p.grad for p in params if p.grad is not None]
    total = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_((max_norm / (g.norm() + eps)).clamp(max=1.0))
    return total


@bug("clip_grad_norm", "always scales, even when the norm is below max_norm")
def clip_always(params, max_norm, eps=1e-6):
    grads = [p.grad for p in params if p.grad is not None]
    total = torch.sqrt(sum((g**2).sum() for g in grads))
    for g in grads:
        g.mul_(max_norm / (total + eps))
    return total


@bug("clip_grad_norm", "returns the norm after clipping")
def clip_returns_after(params, max_norm, eps=1e-6):
    params = list(params)
    reference_clip(params, max_norm, eps)
    grads = [p.grad for p in params if p.grad is not None]
    return torch.sqrt(sum((g**2).sum() for g in grads))


@variant("clip_grad_norm", "vector_norm of the per-gradient norms and torch.where")
def clip_vector_norm(params, max_norm, eps=1e-6):
    grads = [p.grad for p in params if p.grad is not None]
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    scale = torch.where(total > max_norm, max_norm / (total + eps), torch.ones_like(total))
    for g in grads:
        g.mul_(scale)
    return total


# -- train_bpe ---------------------------------------------------------------------------------------------


def _bpe_slow(text, vocab_size, special_tokens=(), tie=max, cut_specials=True, sort_ids=False):
    """BPE that recounts every pair of every pre-token for each merge; knobs for the catalogued mistakes."""
    vocab = {i: bytes([i]) for i in range(256)}
    for token in special_tokens:
        vocab[len(vocab)] = token.encode("utf-8")
    pieces = split_special(text, special_tokens) if cut_specials else [text]
    counts: dict[tuple, int] = {}
    for piece in pieces:
        if cut_specials and piece in special_tokens:
            continue
        for match in re.finditer(PRETOKEN, piece):
            word = tuple(bytes([b]) for b in match.group().encode("utf-8"))
            counts[word] = counts.get(word, 0) + 1
    words = dict(counts)
    merges = []
    while len(vocab) + len(merges) < vocab_size:
        pairs: dict[tuple[bytes, bytes], int] = {}
        for word, count in words.items():
            for pair in zip(word, word[1:], strict=False):
                pairs[pair] = pairs.get(pair, 0) + count
        if not pairs:
            break
        top = max(pairs.values())
        best = tie(pair for pair, count in pairs.items() if count == top)
        merges.append(best)
        merged = {}
        for word, count in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + count
        words = merged
    tokens = [a + b for a, b in merges]
    for token in sorted(tokens) if sort_ids else tokens:
        vocab[len(vocab)] = token
    return vocab, merges


@bug("train_bpe", "breaks ties toward the smallest pair")
def bpe_ties_smallest(text, vocab_size, special_tokens=()):
    return _bpe_slow(text, vocab_size, special_tokens, tie=min)


@bug("train_bpe", "treats special tokens as ordinary text")
def bpe_specials_as_text(text, vocab_size, special_tokens=()):
    return _bpe_slow(text, vocab_size, special_tokens, cut_specials=False)


@bug("train_bpe", "numbers the merged tokens in sorted order, not in creation order")
def bpe_ids_sorted(text, vocab_size, special_tokens=()):
    return _bpe_slow(text, vocab_size, special_tokens, sort_ids=True)


@variant("train_bpe", "slow but correct: rescans every pre-token for every merge")
def bpe_slow(text, vocab_size, special_tokens=()):
    return _bpe_slow(text, vocab_size, special_tokens)


# -- BPETokenizer -------------------------------------------------------------------------------------------


@bug("BPETokenizer", "encodes special tokens byte by byte")
class TokenizerSpecialsAsBytes(ReferenceTokenizer):
    def encode(self, text):
        return [i for match in re.finditer(PRETOKEN, text) for i in self._encode_pretoken(match.group())]


@bug("BPETokenizer", "merges the leftmost mergeable pair first instead of the earliest created")
class TokenizerLeftmost(ReferenceTokenizer):
    def _encode_pretoken(self, word):
        seq = [bytes([b]) for b in word.encode("utf-8")]
        merged = True
        while merged:
            merged = False
            for i in range(len(seq) - 1):
                if (seq[i], seq[i + 1]) in self.ranks:
                    seq[i : i + 2] = [seq[i] + seq[i + 1]]
                    merged = True
                    break
        return [self.ids[token] for token in seq]


@bug("BPETokenizer", "decodes each token on its own (characters split across tokens break)")
class TokenizerDecodePerToken(ReferenceTokenizer):
    def decode(self, ids):
        return "".join(self.vocab.get(int(i), b"").decode("utf-8", errors="replace") for i in ids)


@variant("BPETokenizer", "applies every merge in creation order to each pre-token")
class TokenizerMergeInOrder(ReferenceTokenizer):
    def _encode_pretoken(self, word):
        seq = [bytes([b]) for b in word.encode("utf-8")]
        for pair in self.ranks:  # dicts keep insertion order: creation order
            if len(seq) < 2:
                break
            out, i = [], 0
            while i < len(seq):
                if i + 1 < len(seq) and (seq[i], seq[i + 1]) == pair:
                    out.append(pair[0] + pair[1])
                    i += 2
                else:
                    out.append(seq[i])
                    i += 1
            seq = out
        return [self.ids[token] for token in seq]


# -- train_lm -------------------------------------------------------------------------------------------------


def _train_with(model, data, steps, batch_size, context_len, max_lr, min_lr=0.0, warmup_steps=0, weight_decay=0.01,
                max_grad_norm=1.0, generator=None, schedule=True, own_generator=True, shift=True):  # fmt: skip
    optimizer = ReferenceAdamW(model.parameters(), lr=max_lr if schedule else 1e-3, weight_decay=weight_decay)
    model.train()
    losses = []
    for step in range(steps):
        if schedule:
            for group in optimizer.param_groups:
                group["lr"] = reference_cosine_lr(step, max_lr, min_lr, warmup_steps, steps)
        x, y = reference_get_batch(data, batch_size, context_len, generator if own_generator else None)
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), (y if shift else x).reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        reference_clip(list(model.parameters()), max_grad_norm)
        optimizer.step()
        losses.append(float(loss))
    model.eval()
    return losses


@bug("train_lm", "never applies the schedule (AdamW keeps its default lr)")
def train_lm_no_schedule(model, data, steps, batch_size, context_len, max_lr, *args, **kwargs):
    return _train_with(model, data, steps, batch_size, context_len, max_lr, *args, schedule=False, **kwargs)


@bug("train_lm", "draws batches from torch's global generator")
def train_lm_global_rng(model, data, steps, batch_size, context_len, max_lr, *args, **kwargs):
    return _train_with(model, data, steps, batch_size, context_len, max_lr, *args, own_generator=False, **kwargs)


@bug("train_lm", "scores the input tokens themselves instead of the next ones")
def train_lm_unshifted(model, data, steps, batch_size, context_len, max_lr, *args, **kwargs):
    return _train_with(model, data, steps, batch_size, context_len, max_lr, *args, shift=False, **kwargs)


@variant("train_lm", "optimizer.zero_grad, float(loss) and a list of parameters for clipping")
def train_lm_zero_grad(model, data, steps, batch_size, context_len, max_lr, *args, **kwargs):
    return _train_with(model, data, steps, batch_size, context_len, max_lr, *args, **kwargs)


# -- device placement: right on the CPU, wrong on a GPU (caught anywhere by the device check) -------------------------


@bug("rope", "frequencies from torch.arange(0, d, 2) without the input's device")
def rope_cpu_frequencies(x, positions, theta=10000.0):
    d = x.shape[-1]
    work = torch.promote_types(x.dtype, torch.float32)
    frequencies = theta ** -(torch.arange(0, d, 2, dtype=work) / d)  # (d/2,), on the CPU
    angles = positions.to(x.device, work)[:, None] * frequencies  # (T, d/2)
    cos, sin = torch.cos(angles), torch.sin(angles)
    even, odd = x[..., 0::2].to(work), x[..., 1::2].to(work)  # (..., T, d/2)
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], dim=-1).flatten(-2).to(x.dtype)


@bug("sliding_window_mask", "ignores its device argument (the mask is always made on the CPU)")
def mask_ignores_device(T, window=None, device=None):
    return reference_mask(T, window)


@bug("GroupedQueryAttention", "builds its mask with sliding_window_mask(T, window), without the input's device")
class GQACpuMask(_GQAWith):
    cpu_mask = True


@bug("AdamW", "makes the moments with torch.zeros(p.shape, dtype=p.dtype), without the parameter's device")
class AdamWCpuState(_AdamWWith):
    cpu_state = True
