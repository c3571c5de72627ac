"""Part 3 catalog: mistakes learners really make with attention and Transformers, and correct solutions written
differently.

Classes subclass the reference and override one method, so each entry changes
exactly one API name (the reference's other classes keep using the reference).
"""

import math

import torch
from torch import nn

from autograder.catalog.registry import bug, variant
from solutions.part3.attention import causal_mask as reference_causal_mask
from solutions.part3.attention import scaled_dot_product_attention as reference_attention
from solutions.part3.language_model import TransformerLM as ReferenceLM
from solutions.part3.layer_norm import LayerNorm as ReferenceLayerNorm
from solutions.part3.multi_head import MultiHeadAttention as ReferenceMHA
from solutions.part3.transformer import FeedForward as ReferenceFeedForward
from solutions.part3.transformer import TransformerBlock as ReferenceBlock

# -- scaled_dot_product_attention ----------------------------------------------------------


@bug("scaled_dot_product_attention", "divides the scores by d_k instead of sqrt(d_k)")
def attention_scaled_by_dk(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / q.shape[-1]
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@bug("scaled_dot_product_attention", "masks by setting scores to 0 instead of -inf")
def attention_mask_with_zero(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, 0.0)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@bug("scaled_dot_product_attention", "inverted mask polarity (True taken to mean blocked)")
def attention_mask_inverted(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@bug("scaled_dot_product_attention", "softmax over the query dimension")
def attention_softmax_wrong_dim(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-2)
    return weights @ v, weights


@bug("scaled_dot_product_attention", "a Python loop over the batch")
def attention_loop_over_batch(q, k, v, mask=None):
    if q.dim() == 2 or (mask is not None and mask.dim() >= q.dim()):
        return reference_attention(q, k, v, mask)
    pairs = [reference_attention(q[i], k[i], v[i], mask) for i in range(q.shape[0])]
    return torch.stack([out for out, _ in pairs]), torch.stack([w for _, w in pairs])


@variant("scaled_dot_product_attention", "einsum and an additive -inf mask")
def attention_einsum(q, k, v, mask=None):
    scores = torch.einsum("...qd,...kd->...qk", q, k) * (1.0 / math.sqrt(q.shape[-1]))
    if mask is not None:
        scores = scores + torch.zeros_like(scores).masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return torch.einsum("...qk,...kd->...qd", weights, v), weights


@variant("scaled_dot_product_attention", "torch.where mask, queries pre-scaled, computed in float64 and cast back")
def attention_float64(q, k, v, mask=None):
    dtype = q.dtype
    q, k, v = q.double() / math.sqrt(q.shape[-1]), k.double(), v.double()
    scores = q @ k.transpose(-2, -1)
    if mask is not None:
        scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype, device=scores.device))
    weights = torch.softmax(scores, dim=-1)
    return (weights @ v).to(dtype), weights.to(dtype)


# -- causal_mask -------------------------------------------------------------------------


@bug("causal_mask", "upper triangle instead of lower")
def causal_mask_upper(T, device=None):
    return torch.ones(T, T, dtype=torch.bool, device=device).triu()


@bug("causal_mask", "excludes the diagonal (a position cannot see itself)")
def causal_mask_strict(T, device=None):
    return torch.ones(T, T, dtype=torch.bool, device=device).tril(diagonal=-1)


@bug("causal_mask", "float mask of ones and zeros instead of booleans")
def causal_mask_float(T, device=None):
    return torch.ones(T, T, device=device).tril()


@variant("causal_mask", "compares row and column indices")
def causal_mask_arange(T, device=None):
    positions = torch.arange(T, device=device)
    return positions[:, None] >= positions[None, :]


@variant("causal_mask", "negation of a strict upper triangle")
def causal_mask_not_triu(T, device=None):
    return ~torch.ones(T, T, dtype=torch.bool, device=device).triu(diagonal=1)


# -- MultiHeadAttention --------------------------------------------------------------------


def _split(t, B, n_heads, d_head):
    return t.reshape(B, t.shape[1], n_heads, d_head).transpose(1, 2)  # (B, n_heads, T, d_head)


@bug("MultiHeadAttention", "splits heads with a reshape but no transpose")
class MHANoTranspose(ReferenceMHA):
    def forward(self, x, context=None, mask=None):
        context = x if context is None else context
        B, T, d = x.shape
        S = context.shape[1]
        q = self.q_proj(x).reshape(B, self.n_heads, T, self.d_head)
        k = self.k_proj(context).reshape(B, self.n_heads, S, self.d_head)
        v = self.v_proj(context).reshape(B, self.n_heads, S, self.d_head)
        out, _ = reference_attention(q, k, v, mask)
        return self.out_proj(out.reshape(B, T, d))


@bug("MultiHeadAttention", "forgets out_proj")
class MHANoOutProj(ReferenceMHA):
    def forward(self, x, context=None, mask=None):
        context = x if context is None else context
        B, T, d = x.shape
        q, k, v = (
            _split(p(t), B, self.n_heads, self.d_head)
            for p, t in ((self.q_proj, x), (self.k_proj, context), (self.v_proj, context))
        )
        out, _ = reference_attention(q, k, v, mask)
        return out.transpose(1, 2).reshape(B, T, d)


@bug("MultiHeadAttention", "keys and values from x even when a context is given")
class MHAIgnoresContext(ReferenceMHA):
    def forward(self, x, context=None, mask=None):
        return super().forward(x, None, mask if context is None or mask is None else mask[..., : x.shape[1]])


@bug("MultiHeadAttention", "a Python loop over heads")
class MHALoopOverHeads(ReferenceMHA):
    def forward(self, x, context=None, mask=None):
        context = x if context is None else context
        q, k, v = self.q_proj(x), self.k_proj(context), self.v_proj(context)
        heads = []
        for h in range(self.n_heads):
            part = slice(h * self.d_head, (h + 1) * self.d_head)
            head_mask = mask
            if mask is not None and mask.dim() == 4:
                head_mask = mask[:, h if mask.shape[1] > 1 else 0]
            out, _ = reference_attention(q[..., part], k[..., part], v[..., part], head_mask)
            heads.append(out)
        return self.out_proj(torch.cat(heads, dim=-1))


@variant("MultiHeadAttention", "fused qkv projection built from q_proj, k_proj and v_proj weights, einsum attention")
class MHAFused(ReferenceMHA):
    def forward(self, x, context=None, mask=None):
        B, T, d = x.shape
        if context is None:
            weight = torch.cat([self.q_proj.weight, self.k_proj.weight, self.v_proj.weight])  # (3d, d)
            bias = torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias])
            q, k, v = nn.functional.linear(x, weight, bias).split(d, dim=-1)
        else:
            q, k, v = self.q_proj(x), self.k_proj(context), self.v_proj(context)
        q, k, v = (t.unflatten(-1, (self.n_heads, self.d_head)).permute(0, 2, 1, 3) for t in (q, k, v))
        scores = torch.einsum("bhtd,bhsd->bhts", q, k) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        out = torch.einsum("bhts,bhsd->bthd", torch.softmax(scores, dim=-1), v)  # (B, T, n_heads, d_head)
        return self.out_proj(out.flatten(-2))


# -- LayerNorm -------------------------------------------------------------------------------


@bug("LayerNorm", "unbiased variance (divides by d_model - 1)")
class LayerNormUnbiased(ReferenceLayerNorm):
    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True, unbiased=True)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


@bug("LayerNorm", "eps added outside the square root")
class LayerNormEpsOutside(ReferenceLayerNorm):
    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        return (x - mean) / (torch.sqrt(var) + self.eps) * self.weight + self.bias


@bug("LayerNorm", "normalises over the batch dimension")
class LayerNormOverBatch(ReferenceLayerNorm):
    def forward(self, x):
        mean = x.mean(dim=0, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=0, keepdim=True)
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


@bug("LayerNorm", "calls the forbidden F.layer_norm")
class LayerNormBuiltin(ReferenceLayerNorm):
    def forward(self, x):
        return nn.functional.layer_norm(x, (x.shape[-1],), self.weight, self.bias, self.eps)


@bug("LayerNorm", "names its parameters gamma and beta, not the contract's weight and bias")
class LayerNormGammaBeta(nn.Module):
    def __init__(self, d_model: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.ones(d_model))
        self.beta = nn.Parameter(torch.zeros(d_model))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        return (x - mean) / torch.sqrt(var + self.eps) * self.gamma + self.beta


@variant("LayerNorm", "rsqrt and var_mean")
class LayerNormRsqrt(ReferenceLayerNorm):
    def forward(self, x):
        var, mean = torch.var_mean(x, dim=-1, keepdim=True, correction=0)
        return (x - mean) * torch.rsqrt(var + self.eps) * self.weight + self.bias


@variant("LayerNorm", "E[x^2] - E[x]^2 computed in float64 and cast back")
class LayerNormFloat64(ReferenceLayerNorm):
    def forward(self, x):
        x64 = x.double()
        mean = x64.mean(dim=-1, keepdim=True)
        var = (x64 - mean).square().mean(dim=-1, keepdim=True)
        y = (x64 - mean) / (var + self.eps).sqrt()
        return (y * self.weight.double() + self.bias.double()).to(x.dtype)


# -- FeedForward -------------------------------------------------------------------------------


@bug("FeedForward", "no non-linearity between the layers")
class FeedForwardLinear(ReferenceFeedForward):
    def forward(self, x):
        return self.fc2(self.fc1(x))


@bug("FeedForward", "ReLU after fc2 as well")
class FeedForwardReluTwice(ReferenceFeedForward):
    def forward(self, x):
        return torch.relu(self.fc2(torch.relu(self.fc1(x))))


@bug("FeedForward", "GELU instead of ReLU")
class FeedForwardGelu(ReferenceFeedForward):
    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x)))


@variant("FeedForward", "clamp(min=0) as the ReLU")
class FeedForwardClamp(ReferenceFeedForward):
    def forward(self, x):
        return self.fc2(self.fc1(x).clamp(min=0))


# -- TransformerBlock --------------------------------------------------------------------------


@bug("TransformerBlock", "post-norm (normalises after the residual add)")
class BlockPostNorm(ReferenceBlock):
    def forward(self, x, mask=None):
        x = self.ln1(x + self.attn(x, mask=mask))
        return self.ln2(x + self.ff(x))


@bug("TransformerBlock", "missing residual connection around the attention")
class BlockNoResidual(ReferenceBlock):
    def forward(self, x, mask=None):
        x = self.attn(self.ln1(x), mask=mask)
        return x + self.ff(self.ln2(x))


@bug("TransformerBlock", "does not pass the mask to the attention")
class BlockDropsMask(ReferenceBlock):
    def forward(self, x, mask=None):
        return super().forward(x, mask=None)


@bug("TransformerBlock", "adds the normalised x in the residual")
class BlockResidualOfNormalised(ReferenceBlock):
    def forward(self, x, mask=None):
        h = self.ln1(x)
        x = h + self.attn(h, mask=mask)
        h = self.ln2(x)
        return h + self.ff(h)


@variant("TransformerBlock", "functional dropout with the module's training flag")
class BlockFunctionalDropout(ReferenceBlock):
    def forward(self, x, mask=None):
        p = self.dropout.p
        x = x + nn.functional.dropout(self.attn(self.ln1(x), mask=mask), p, self.training)
        return x + nn.functional.dropout(self.ff(self.ln2(x)), p, self.training)


# -- TransformerLM -----------------------------------------------------------------------------


@bug("TransformerLM", "no positional embedding")
class LMNoPositions(ReferenceLM):
    def forward(self, idx):
        x = self.tok_emb(idx)
        mask = reference_causal_mask(idx.shape[1], device=idx.device)
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.head(self.ln_f(x))


@bug("TransformerLM", "not causal (no mask in the blocks)")
class LMNotCausal(ReferenceLM):
    def forward(self, idx):
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[1], device=idx.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))


@bug("TransformerLM", "forgets the final LayerNorm")
class LMNoFinalNorm(ReferenceLM):
    def forward(self, idx):
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[1], device=idx.device))
        mask = reference_causal_mask(idx.shape[1], device=idx.device)
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.head(x)


@bug("TransformerLM", "generate does not crop to max_len")
class LMGenerateNoCrop(ReferenceLM):
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            next_token = self(idx)[:, -1].argmax(dim=-1, keepdim=True)
            idx = torch.cat([idx, next_token], dim=1)
        return idx


@bug("TransformerLM", "generate uses the first position's logits")
class LMGenerateFirstPosition(ReferenceLM):
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            next_token = self(idx[:, -self.max_len :])[:, 0].argmax(dim=-1, keepdim=True)
            idx = torch.cat([idx, next_token], dim=1)
        return idx


@bug("TransformerLM", "generate samples instead of taking the argmax")
class LMGenerateSamples(ReferenceLM):
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            probs = torch.softmax(self(idx[:, -self.max_len :])[:, -1], dim=-1)
            idx = torch.cat([idx, torch.multinomial(probs, 1)], dim=1)
        return idx


@bug("TransformerLM", "generate runs the model once per batch row")
class LMGenerateLoopOverBatch(ReferenceLM):
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        return torch.cat([super(LMGenerateLoopOverBatch, self).generate(row[None], max_new_tokens) for row in idx])


@variant("TransformerLM", "positions via expand, generate returns a new tensor built with torch.cat once")
class LMVariant(ReferenceLM):
    def forward(self, idx):
        B, T = idx.shape
        positions = torch.arange(T, device=idx.device).expand(B, T)  # (B, T)
        x = self.tok_emb(idx) + self.pos_emb(positions)
        mask = torch.arange(T, device=idx.device)[:, None] >= torch.arange(T, device=idx.device)
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.head(self.ln_f(x))

    def generate(self, idx, max_new_tokens):
        new = []
        context = idx
        with torch.no_grad():
            for _ in range(max_new_tokens):
                logits = self(context[:, -self.max_len :])
                token = logits[:, -1].max(dim=-1).indices[:, None]
                new.append(token)
                context = torch.cat([context, token], dim=1)
        return torch.cat([idx, *new], dim=1)


# -- device placement: right on the CPU, wrong on a GPU (caught anywhere by the device check) -------------------------


@bug("causal_mask", "ignores its device argument")
def causal_mask_ignores_device(T, device=None):
    return torch.tril(torch.ones(T, T, dtype=torch.bool))


@bug("scaled_dot_product_attention", "fills masked scores from torch.full(shape, -inf) made without the device")
def attention_cpu_fill(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (..., T_q, T_k)
    if mask is not None:
        scores = torch.where(mask, scores, torch.full(scores.shape, float("-inf"), dtype=scores.dtype))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@variant("scaled_dot_product_attention", "fills masked scores with a 0-dim CPU -inf (mixes with any device)")
def attention_scalar_fill(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (..., T_q, T_k)
    if mask is not None:
        scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


class _MHAInlineAttention(ReferenceMHA):
    """Attention written inside forward; ``_scale`` says how the scores are divided by sqrt(d_head)."""

    def _scale(self, x):
        raise NotImplementedError

    def forward(self, x, context=None, mask=None):
        context = x if context is None else context
        B, T, d = x.shape
        q = _split(self.q_proj(x), B, self.n_heads, self.d_head)  # (B, n_heads, T, d_head)
        k = _split(self.k_proj(context), B, self.n_heads, self.d_head)  # (B, n_heads, S, d_head)
        v = _split(self.v_proj(context), B, self.n_heads, self.d_head)  # (B, n_heads, S, d_head)
        scores = q @ k.transpose(-2, -1) / self._scale(x)  # (B, n_heads, T, S)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v  # (B, n_heads, T, d_head)
        return self.out_proj(out.transpose(1, 2).reshape(B, T, d))


@bug("MultiHeadAttention", "scales by torch.tensor([d_head]).sqrt(), a 1-element tensor left on the CPU")
class MHAScaleVector(_MHAInlineAttention):
    def _scale(self, x):
        return torch.tensor([self.d_head], dtype=x.dtype).sqrt()  # (1,): not a 0-dim scalar


@variant("MultiHeadAttention", "scales by torch.tensor(d_head).sqrt(), a 0-dim CPU tensor (mixes with any device)")
class MHAScaleScalar(_MHAInlineAttention):
    def _scale(self, x):
        return torch.tensor(self.d_head, dtype=x.dtype).sqrt()  # (): a CPU scalar


@bug("LayerNorm", "keeps eps as a plain tensor attribute, which .to(device) does not move")
class LayerNormEpsTensor(ReferenceLayerNorm):
    def __init__(self, d_model, eps=1e-5):
        super().__init__(d_model, eps)
        self.eps_tensor = torch.full((1,), eps)  # not a buffer

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)  # (..., 1)
        var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)  # (..., 1)
        return (x - mean) / torch.sqrt(var + self.eps_tensor.to(x.dtype)) * self.weight + self.bias


@bug("TransformerLM", "positions from torch.arange(T) without the tokens' device")
class LMCpuPositions(ReferenceLM):
    def forward(self, idx):
        T = idx.shape[1]
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(T))  # (B, T, d_model)
        mask = reference_causal_mask(T, device=idx.device)
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.head(self.ln_f(x))


@bug("TransformerLM", "causal mask from causal_mask(T) without the tokens' device")
class LMCpuMask(ReferenceLM):
    def forward(self, idx):
        T = idx.shape[1]
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(T, device=idx.device))  # (B, T, d_model)
        mask = reference_causal_mask(T)  # (T, T), on the CPU
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.head(self.ln_f(x))


@variant("TransformerLM", "positions as the first T rows of pos_emb.weight (no arange at all)")
class LMPositionRows(ReferenceLM):
    def forward(self, idx):
        T = idx.shape[1]
        x = self.tok_emb(idx) + self.pos_emb.weight[:T]  # (B, T, d_model)
        mask = reference_causal_mask(T, device=idx.device)
        for block in self.blocks:
            x = block(x, mask=mask)
        return self.head(self.ln_f(x))
