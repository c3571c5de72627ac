"""Hidden tests for GroupedQueryAttention: head groupings, windows, cached chunks, a given cache, float32, gradients."""

import pytest
import torch

from assignments.part5.tests.modern_oracles import gqa_oracle, gqa_state, op_count
from autograder.hidden.part3.gradients import expect_reference_gradients
from autograder.shared.inputs import randn
from autograder.trusted.harness import graded
from autograder.trusted.harness.checks import expect, expect_close
from autograder.trusted.harness.modules import build
from autograder.trusted.harness.tolerances import Depth

GQA_CAUSE = (
    "query head h reads kv head h // (n_heads // n_kv_heads) (repeat_interleave, not repeat); rope on q and k; "
    "causal and windowed mask; softmax over keys; o_proj"
)


@pytest.mark.parametrize(
    "d, heads, kv_heads, window, T",
    [(8, 2, 2, None, 5), (12, 6, 1, 2, 6), (16, 4, 2, 1, 4), (24, 6, 3, 4, 9), (8, 4, 2, 20, 3)],
    ids=["mha", "mqa-window2", "window1", "groups-of-2", "window-beyond-T"],
)
@graded("GroupedQueryAttention", points=2)
def test_gqa_configurations_match_pytorch(impl, device, gen, d, heads, kv_heads, window, T):
    """several head groupings and windows against F.scaled_dot_product_attention(enable_gqa=True), float64"""
    state = gqa_state(d, heads, kv_heads, gen)
    attn = build(impl, "GroupedQueryAttention", (d, heads, kv_heads), state, device, window=window)
    x = randn(2, T, d, gen=gen, device=device, dtype=torch.float64)
    out, _ = attn(x)
    expect_close(
        out,
        gqa_oracle(state, heads, kv_heads, x, window)[0].to(device),
        case=f"GQA(d={d}, heads={heads}, kv_heads={kv_heads}, window={window}) on T={T}",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause=GQA_CAUSE,
    )


@pytest.mark.parametrize("window", [None, 2, 5])
@graded("GroupedQueryAttention", points=2)
def test_gqa_one_token_at_a_time_equals_the_full_forward(impl, device, gen, window):
    """8 positions fed one by one (and as 3 + 5) with the cache equal the full forward; cache n_kv_heads wide"""
    state = gqa_state(16, 4, 2, gen)
    attn = build(impl, "GroupedQueryAttention", (16, 4, 2), state, device, window=window)
    x = randn(2, 8, 16, gen=gen, device=device, dtype=torch.float64)
    full, _ = attn(x)
    for chunks in ([(t, t + 1) for t in range(8)], [(0, 3), (3, 8)]):
        outs, kv = [], None
        for start, stop in chunks:
            out, kv = attn(x[:, start:stop], kv)
            outs.append(out)
        expect(
            tuple(kv[0].shape) == (2, 2, 8, 4) and tuple(kv[1].shape) == (2, 2, 8, 4),
            case=f"cache after {len(chunks)} calls (window {window})",
            expected="keys and values of shape (2, 2, 8, 4): (B, n_kv_heads, T, d_head)",
            got=f"{tuple(kv[0].shape)} and {tuple(kv[1].shape)}",
            cause="store k and v before expanding them to n_heads; append along dim 2; keep every position",
        )
        expect_close(
            torch.cat(outs, dim=1),
            full,
            case=f"{len(chunks)} cached calls vs one forward (window {window})",
            depth=Depth.CHAIN,
            inputs={"x": x},
            cause="positions of a call start at T_past; the mask rows are those of queries T_past .. T_past + T - 1",
        )


@graded("GroupedQueryAttention", points=2)
def test_gqa_continues_a_given_cache(impl, device, gen):
    """a cache the test built (rotated keys of 5 positions) continued by 3 new positions equals the full forward"""
    state = gqa_state(12, 3, 1, gen)
    attn = build(impl, "GroupedQueryAttention", (12, 3, 1), state, device, window=4)
    x = randn(1, 8, 12, gen=gen, device=device, dtype=torch.float64)
    full, (k, v) = gqa_oracle(state, 3, 1, x, window=4)
    out, (k_new, v_new) = attn(x[:, 5:], (k[:, :, :5].to(device), v[:, :, :5].to(device)))
    expect_close(
        out, full[:, 5:].to(device), case="3 positions after a 5-position cache", depth=Depth.CHAIN, inputs={"x": x},
        cause="past keys are already rotated: rotate only the new keys, at positions 5, 6, 7",
    )  # fmt: skip
    expect_close(k_new, k.to(device), case="present keys", depth=Depth.CHAIN, cause="cat([past_k, k], dim=2)")
    expect_close(v_new, v.to(device), case="present values", depth=Depth.CHAIN, cause="cat([past_v, v], dim=2)")


@graded("GroupedQueryAttention", points=2)
def test_gqa_float32_matches_reference(impl, ref, device, gen):
    """float32 module at 20 positions with window 6, against the reference in float64"""
    state = gqa_state(32, 8, 2, gen)
    attn = build(impl, "GroupedQueryAttention", (32, 8, 2), state, device, torch.float32, window=6)
    reference = build(ref, "GroupedQueryAttention", (32, 8, 2), state, "cpu", window=6)
    x = randn(2, 20, 32, gen=gen, device=device)
    expect_close(
        attn(x)[0],
        reference(x.double().cpu())[0].float().to(device),
        case="float32 GQA",
        depth=Depth.CHAIN,
        inputs={"x": x},
        cause=GQA_CAUSE,
    )


@graded("GroupedQueryAttention", points=2)
def test_gqa_gradients_match_reference(impl, ref, device, gen):
    """every projection gets the reference's gradient"""
    state = gqa_state(16, 4, 2, gen)
    attn = build(impl, "GroupedQueryAttention", (16, 4, 2), state, device, window=3)
    reference = build(ref, "GroupedQueryAttention", (16, 4, 2), state, "cpu", window=3)
    x = randn(2, 5, 16, gen=gen, device=device, dtype=torch.float64)
    expect_reference_gradients(
        impl, ref, "GroupedQueryAttention", attn, reference, x, device=device, inputs={"x": x},
        cause=GQA_CAUSE, unused_cause="q_proj, k_proj, v_proj and o_proj must all take part",
    )  # fmt: skip


@graded("GroupedQueryAttention", points=2)
def test_gqa_op_count_constant(impl, device, gen):
    """the operation count does not grow with batch, length or heads, with or without a cache"""
    for cached in (False, True):
        counts = []
        for B, T, heads, kv_heads in ((1, 1, 2, 1), (3, 9, 8, 2)):
            attn = impl.GroupedQueryAttention(32, heads, kv_heads, window=4)
            attn.to(device)
            x = randn(B, T, 32, gen=gen, device=device)
            d_head = 32 // heads
            past = (randn(B, kv_heads, 5, d_head, gen=gen, device=device),) * 2 if cached else None
            counts.append(op_count(impl, attn, x, past))
        expect(
            counts[0] == counts[1],
            case=f"operation count, small vs large (with a cache: {cached})",
            expected="equal counts",
            got=f"{counts[0]} vs {counts[1]}",
            cause="a Python loop over heads, batch items or positions; keep heads and positions as dimensions",
        )
