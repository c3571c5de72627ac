"""Hidden tests for MultiHeadAttention: shapes and heads, cross-attention, masks, float32, gradients, op counts."""

import pytest
import torch

from assignments.part3.tests.transformer_oracles import mha_oracle, mha_state, op_count
from autograder.hidden.part3.gradients import expect_reference_gradients
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

HEAD_CAUSE = (
    "head h uses features [h*d_head, (h+1)*d_head): reshape (B, T, d_model) -> (B, T, n_heads, d_head) and "
    "transpose(1, 2); after attention transpose back and reshape to (B, T, d_model), then out_proj"
)


@pytest.mark.parametrize("B, T, d_model, n_heads", [(1, 1, 4, 1), (3, 7, 12, 3), (2, 9, 32, 8), (4, 4, 6, 6)])
@graded("MultiHeadAttention", points=2)
def test_multiheadattention_random_shapes_match_pytorch(impl, device, gen, B, T, d_model, n_heads):
    """self-attention on random shapes and head counts matches nn.MultiheadAttention in float64"""
    state = mha_state(d_model, gen)
    mha = build(impl, "MultiHeadAttention", (d_model, n_heads), state, device)
    x = randn(B, T, d_model, gen=gen, device=device, dtype=torch.float64)
    expect_close(
        mha(x),
        mha_oracle(state, n_heads, x).to(device),
        case=f"{n_heads}-head attention on {(B, T, d_model)}",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause=HEAD_CAUSE,
    )


@pytest.mark.parametrize(
    "mask_shape", [(5, 8), (1, 8), (3, 1, 5, 8), (3, 4, 5, 8), (1, 4, 1, 8)], ids=lambda s: "x".join(map(str, s))
)
@graded("MultiHeadAttention", points=2)
def test_multiheadattention_cross_attention_every_mask_shape(impl, device, gen, mask_shape):
    """cross-attention from 5 queries to 8 context positions with masks of several broadcastable shapes"""
    state = mha_state(16, gen)
    mha = build(impl, "MultiHeadAttention", (16, 4), state, device)
    x = randn(3, 5, 16, gen=gen, device=device, dtype=torch.float64)
    context = randn(3, 8, 16, gen=gen, device=device, dtype=torch.float64)
    mask = torch.rand(mask_shape, generator=gen) < 0.6
    mask[..., 0] = True  # every row may see at least one position
    mask = mask.to(device)
    expect_close(
        mha(x, context=context, mask=mask),
        mha_oracle(state, 4, x, context, mask).to(device),
        case=f"cross-attention with a {tuple(mask_shape)} mask",
        depth=Depth.CHAIN,
        inputs={"x": x, "context": context, "mask": mask},
        cause="keys and values from context (length S), the mask broadcast against (B, n_heads, T, S)",
    )


@graded("MultiHeadAttention", points=2)
def test_multiheadattention_float32_matches_reference(impl, ref, device, gen):
    """float32 module and input, compared with the reference in float64"""
    state = mha_state(24, gen)
    mha = build(impl, "MultiHeadAttention", (24, 6), state, device, torch.float32)
    reference = build(ref, "MultiHeadAttention", (24, 6), state, "cpu")
    x = randn(2, 10, 24, gen=gen, device=device)
    expected = reference(x.double().cpu()).detach().float().to(device)
    expect_close(
        mha(x), expected, case="float32 multi-head attention", depth=Depth.CHAIN, inputs={"x": x}, cause=HEAD_CAUSE
    )


@graded("MultiHeadAttention", points=2)
def test_multiheadattention_loads_reference_state_dict(impl, ref):
    """a reference module's state_dict loads with strict=True"""
    mha = impl.MultiHeadAttention(8, 2)
    mha.load_state_dict(ref.MultiHeadAttention(8, 2).state_dict())
    expect(
        mha.n_heads == 2 and mha.d_head == 4,
        case="MultiHeadAttention(8, 2)",
        expected="n_heads 2, d_head 4",
        got=f"n_heads {mha.n_heads}, d_head {mha.d_head}",
        cause="store n_heads and d_head = d_model // n_heads",
    )


@graded("MultiHeadAttention", points=3)
def test_multiheadattention_gradients_match_reference(impl, ref, device, gen):
    """every parameter gets the reference's gradient (float64, causal mask)"""
    state = mha_state(12, gen)
    mha = build(impl, "MultiHeadAttention", (12, 3), state, device)
    reference = build(ref, "MultiHeadAttention", (12, 3), state, "cpu")
    x = randn(2, 5, 12, gen=gen, device=device, dtype=torch.float64)
    mask = torch.ones(5, 5, dtype=torch.bool, device=device).tril()
    upstream = randn(2, 5, 12, gen=gen, device=device, dtype=torch.float64)
    expect_reference_gradients(
        impl, ref, "MultiHeadAttention", mha, reference, x, None, mask, upstream=upstream, device=device,
        inputs={"x": x}, cause=HEAD_CAUSE,
        unused_cause="every projection, out_proj included, must take part in the output",
    )  # fmt: skip


@graded("MultiHeadAttention", points=3)
def test_multiheadattention_op_count_constant(impl, device, gen):
    """the operation count does not grow with batch, length or heads (self- and cross-attention)"""
    for cross in (False, True):
        counts = []
        for B, T, S, heads in ((1, 1, 2, 1), (4, 9, 5, 16)):
            mha = impl.MultiHeadAttention(32, heads)
            mha.to(device)
            x = randn(B, T, 32, gen=gen, device=device)
            context = randn(B, S, 32, gen=gen, device=device) if cross else None
            counts.append(op_count(impl, mha, x, context))
        expect(
            counts[0] == counts[1],
            case=f"operation count, small vs large (cross-attention: {cross})",
            expected="equal counts",
            got=f"{counts[0]} vs {counts[1]}",
            cause="a Python loop over heads, batch items or positions; batch the heads as a dimension",
        )
